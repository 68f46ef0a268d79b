package io.roundtable.protocol;

/**
 * Plain counters a core increments on its own thread; the runtime publishes them as Aeron counters, the simulator
 * and benchmarks read them directly.
 */
public final class ProtocolCounters
{
    public long proposed;
    public long committed;
    public long fastPath;
    public long slowPath;
    public long recoveries;
    public long messagesIn;
    public long messagesOut;
    public long malformedDropped;
    public long nacksSent;
    /**
     * Tempo: total time from a command's commit to its execution here (waiting for stability), how many waited, and
     * the longest single wait.
     */
    public long stabilityWaitNs;
    public long stabilityWaits;
    public long stabilityWaitMaxNs;
    /** EPaxos, Atlas: dependencies of the instances committed here, in total, and the most of one instance. */
    public long dependencies;
    public long dependenciesMax;
    /** Times the thrifty quorum's order of peers changed ({@link PeerRanking}). */
    public long thriftyReranks;

    /**
     * Counts a message arriving from {@code fromReplica}; one that claims to come from no peer (out of range, or this
     * replica itself) is counted as malformed too, so the caller drops it.
     *
     * @return true if the sender is a peer and the message may be decoded.
     */
    public boolean countInbound(final int fromReplica, final int replicaCount, final int self)
    {
        messagesIn++;
        if (fromReplica < 0 || fromReplica >= replicaCount || fromReplica == self)
        {
            malformedDropped++;
            return false;
        }
        return true;
    }

    public String toString()
    {
        return "proposed=" + proposed + " committed=" + committed + " fastPath=" + fastPath +
            " slowPath=" + slowPath + " recoveries=" + recoveries + " messagesIn=" + messagesIn +
            " messagesOut=" + messagesOut + " malformedDropped=" + malformedDropped + " nacksSent=" + nacksSent +
            " stabilityWaitNs=" + stabilityWaitNs + " stabilityWaits=" + stabilityWaits +
            " stabilityWaitMaxNs=" + stabilityWaitMaxNs + " dependencies=" + dependencies +
            " dependenciesMax=" + dependenciesMax + " thriftyReranks=" + thriftyReranks;
    }
}
