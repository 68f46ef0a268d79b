package io.roundtable.protocol;

import io.aeron.exceptions.ConfigurationException;
import io.roundtable.config.ClusterTopology;
import io.roundtable.config.ProtocolName;
import io.roundtable.protocol.epaxos.Epaxos;
import io.roundtable.protocol.epaxos.EpaxosConfig;

/**
 * Builds one replica's protocol core, for the simulator and the Aeron runtime alike, so that both run every protocol.
 */
@FunctionalInterface
public interface ProtocolFactory
{
    Protocol create(
        int replicaId, int replicaCount, int[] peersByPreference, long phaseTimeoutNs,
        Outbox outbox, JournalSink journal, CommitSink commitSink);

    ProtocolFactory EPAXOS = (replicaId, replicaCount, peers, phaseTimeoutNs, outbox, journal, commitSink) ->
        new Epaxos(
            new EpaxosConfig()
                .replicaId(replicaId)
                .replicaCount(replicaCount)
                .peerPreference(peers)
                .phaseTimeoutNs(phaseTimeoutNs)
                .conclude(),
            outbox, journal, commitSink);

    /**
     * The factory of a protocol named in a topology file or on a command line.
     *
     * @throws ConfigurationException for a protocol this build does not implement yet.
     */
    static ProtocolFactory of(final ProtocolName name)
    {
        if (name == ProtocolName.EPAXOS)
        {
            return EPAXOS;
        }
        throw new ConfigurationException("protocol " + name.configName() + " is not implemented yet: use epaxos");
    }

    /**
     * The factory of a topology's protocol, once the topology's replicas and faults suit that protocol.
     *
     * @throws ConfigurationException saying what to change in the topology.
     */
    static ProtocolFactory of(final ClusterTopology topology)
    {
        final ProtocolFactory factory = of(topology.protocol());
        final int replicas = topology.replicaCount();
        if (replicas < 3 || replicas % 2 == 0)
        {
            throw new ConfigurationException(topology.protocol().configName() + " needs an odd number of replicas, " +
                "at least 3 (N = 2F+1), but replicas=" + replicas + ": use " + Math.max(3, replicas - 1) + " or " +
                Math.max(5, replicas + 1));
        }
        if (topology.faults() != (replicas - 1) / 2)
        {
            throw new ConfigurationException(topology.protocol().configName() + " with " + replicas + " replicas " +
                "tolerates F = " + (replicas - 1) / 2 + " failures, but faults=" + topology.faults() +
                ": remove the faults line or set faults=" + (replicas - 1) / 2);
        }
        return factory;
    }
}
