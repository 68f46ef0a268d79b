package io.roundtable.runtime;

/**
 * Where the message last encoded by a {@link PeerMessages} or {@link RandomClientMessages} has what
 * {@link MalformedMessages} breaks, as offsets from its start; -1 where it has no such thing.
 */
final class MessageLayout
{
    /** Defined values of a BooleanType enum: 0 and 1 (255 is its null value). */
    static final int BOOLEAN_VALUES = 2;

    /** Defined values of an InstanceStatus enum: 0 to 4 (255 is its null value). */
    static final int STATUS_VALUES = 5;

    /** The header of the message's first repeating group. */
    int groupOffset;
    int groupEntryLength;

    /** The length field of the message's var-data, which is last in every message that has one. */
    int varDataOffset;

    /** One enum field, holding one of {@link #enumDefinedValues} values from 0. */
    int enumOffset;
    int enumDefinedValues;

    /** {@link #rangeKind}: a dot (int64) whose origin must be a replica of the cluster. */
    static final int DOT = 0;

    /** {@link #rangeKind}: the ballot (int64) a message is sent at, whose owner must be a replica of the cluster. */
    static final int BALLOT = 1;

    /** {@link #rangeKind}: a replica id (int32). */
    static final int REPLICA = 2;

    /** {@link #rangeKind}: a Multi-Paxos log position (int64), from 1 to {@code Dot.MAX_INSTANCE}. */
    static final int POSITION = 3;

    /** One field whose value must be in range for the cluster, of kind {@link #rangeKind}. */
    int rangeOffset;
    int rangeKind;

    void clear()
    {
        groupOffset = -1;
        groupEntryLength = 0;
        varDataOffset = -1;
        enumOffset = -1;
        enumDefinedValues = 0;
        rangeOffset = -1;
        rangeKind = -1;
    }

    void group(final int offset, final int entryLength)
    {
        groupOffset = offset;
        groupEntryLength = entryLength;
    }

    void rangeAt(final int offset, final int kind)
    {
        rangeOffset = offset;
        rangeKind = kind;
    }

    void enumAt(final int offset, final int definedValues)
    {
        enumOffset = offset;
        enumDefinedValues = definedValues;
    }
}
