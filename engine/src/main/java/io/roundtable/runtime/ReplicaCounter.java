package io.roundtable.runtime;

/**
 * What a replica counts, each an Aeron counter in the media driver's CnC file (so Aeron's own {@code AeronStat} and
 * {@code roundtable stat} can read them while it runs). Type ids are {@link #TYPE_ID_BASE} plus the ordinal; the
 * counter's key holds the replica id. New counters go at the end, so existing type ids never change.
 */
public enum ReplicaCounter
{
    COMMANDS_PROPOSED("client commands proposed by this replica"),
    COMMANDS_EXECUTED("commands executed"),
    INSTANCES_PROPOSED("instances coordinated"),
    INSTANCES_COMMITTED("instances committed"),
    FAST_PATH("instances committed on the fast path"),
    SLOW_PATH("instances committed on the slow path"),
    RECOVERIES("recoveries started"),
    MESSAGES_IN("protocol messages received"),
    MESSAGES_OUT("protocol messages sent"),
    BACK_PRESSURE("messages held back by back pressure"),
    MALFORMED_DROPPED("malformed messages dropped"),
    JOURNAL_BYTES("journal bytes appended"),
    CLIENT_SESSIONS("client sessions"),
    RESPONSES_DROPPED("client responses dropped by back pressure"),
    CHECKPOINTS("checkpoints taken since start"),
    RESTORED_FROM_CHECKPOINT("1 if the journal replay at start began at a checkpoint"),
    STABILITY_WAITS("commands that waited for stability (Tempo)"),
    STABILITY_WAIT_NS("ns waited for stability in total (Tempo)"),
    STABILITY_WAIT_MAX_NS("longest ns waited for stability (Tempo)"),
    MESSAGES_DROPPED_OVERSIZE("peer messages dropped: longer than a transport message may be"),
    DUTY_CYCLE_GAP_MAX_NS("longest ns from one duty cycle to the next (idle parks included)"),
    DUTY_CYCLE_GAP_STALLS("duty cycles that began over the stall threshold after the previous one"),
    DUTY_CYCLE_WORK_MAX_NS("longest ns one duty cycle worked"),
    DUTY_CYCLE_WORK_STALLS("duty cycles that worked over the stall threshold"),
    THRIFTY_RERANKS("times the thrifty quorum's order of peers changed (measured reply times)"),
    DEPENDENCIES("dependencies of the instances committed, in total (EPaxos, Atlas)"),
    DEPENDENCIES_MAX("most dependencies of one committed instance (EPaxos, Atlas)");

    /** Clear of Aeron's own counter types (below 1000) and Aeron Archive/Cluster's. */
    public static final int TYPE_ID_BASE = 700_100;

    private final String description;

    ReplicaCounter(final String description)
    {
        this.description = description;
    }

    public int typeId()
    {
        return TYPE_ID_BASE + ordinal();
    }

    public String description()
    {
        return description;
    }

    /** The counter of {@code typeId}, or null if it is not one of Roundtable's. */
    public static ReplicaCounter ofTypeId(final int typeId)
    {
        final int ordinal = typeId - TYPE_ID_BASE;
        final ReplicaCounter[] values = values();
        return ordinal >= 0 && ordinal < values.length ? values[ordinal] : null;
    }
}
