package io.roundtable.runtime;

import io.roundtable.codecs.MessageHeaderDecoder;
import io.roundtable.codecs.MessageHeaderEncoder;
import org.agrona.MutableDirectBuffer;

import java.util.Random;

/**
 * Input a replica must count and drop: noise under a foreign schema id, and the well-formed messages of a
 * {@link PeerMessages} and {@link RandomClientMessages} each broken in exactly one way, so that no decoder may
 * accept it whatever it reads past the break: cut short, foreign schema, newer version, unknown template, root block
 * shorter than the template's, a group count or var-data length pointing past the end of the message, an enum
 * field (the commands' write flag included) holding an undefined value, or a field out of range for the cluster (a
 * dot or ballot of a replica it does not have, a replica id, a Multi-Paxos log position below 1 or past the last).
 */
final class MalformedMessages
{
    static final String[] MUTATIONS = {"truncated", "schemaId", "version", "templateId", "blockLength",
        "groupCount", "varDataLength", "enumValue", "outOfRange"};

    /** Every template id the schema defines: a mutated template id must be none of them. */
    private static final int[] SCHEMA_TEMPLATES = {1, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 30, 31, 32, 40, 50, 51,
        52, 54, 55, 60, 61, 70, 71, 72, 73, 74, 75, 76, 77, 90, 91, 92, 93, 94, 95, 96};
    private static final int TRUNCATED = 0;
    private static final int SCHEMA_ID = 1;
    private static final int VERSION = 2;
    private static final int TEMPLATE_ID = 3;
    private static final int BLOCK_LENGTH = 4;
    private static final int GROUP_COUNT = 5;
    private static final int VAR_DATA_LENGTH = 6;
    private static final int ENUM_VALUE = 7;
    private static final int OUT_OF_RANGE = 8;

    /** How many messages each mutation broke, indexed as {@link #MUTATIONS}. */
    final long[] applied = new long[MUTATIONS.length];

    /** The mutation {@link #mutate} applied last, indexed as {@link #MUTATIONS}. */
    int lastMutation = -1;
    private final Random random;
    private final int replicaCount;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();

    /** @param replicaCount N of the cluster the messages go to: replica ids from N on are out of range. */
    MalformedMessages(final Random random, final int replicaCount)
    {
        this.random = random;
        this.replicaCount = replicaCount;
    }

    /** Random bytes of random length (some shorter than a message header) whose schema id is not Roundtable's. */
    int noise(final MutableDirectBuffer buffer)
    {
        final int length = random.nextInt(random.nextInt(10) == 0 ? MessageHeaderEncoder.ENCODED_LENGTH : 300);
        for (int i = 0; i < length; i++)
        {
            buffer.putByte(i, (byte)random.nextInt());
        }
        if (length >= 6)
        {
            buffer.putShort(4, (short)otherThan(MessageHeaderEncoder.SCHEMA_ID));
        }
        return length;
    }

    /**
     * Breaks the message last encoded into {@code buffer}, laid out as {@code layout}, in one random way.
     *
     * @return the length to send, shorter than {@code length} if the message was cut.
     */
    int mutate(final MessageLayout layout, final MutableDirectBuffer buffer, final int length)
    {
        while (true)
        {
            final int mutation = random.nextInt(MUTATIONS.length);
            if (applies(mutation, layout) && (mutation != BLOCK_LENGTH || header.wrap(buffer, 0).blockLength() > 0))
            {
                return mutate(layout, buffer, length, mutation);
            }
        }
    }

    /** Whether a message laid out as {@code layout} has what {@code mutation} breaks (a group, var-data, an enum). */
    static boolean applies(final int mutation, final MessageLayout layout)
    {
        return (mutation != GROUP_COUNT || layout.groupOffset >= 0) &&
            (mutation != VAR_DATA_LENGTH || layout.varDataOffset >= 0) &&
            (mutation != ENUM_VALUE || layout.enumOffset >= 0) &&
            (mutation != OUT_OF_RANGE || layout.rangeOffset >= 0);
    }

    /** Breaks the message last encoded into {@code buffer} with {@code mutation}, which must apply to it. */
    int mutate(final MessageLayout layout, final MutableDirectBuffer buffer, final int length, final int mutation)
    {
        applied[mutation]++;
        lastMutation = mutation;
        switch (mutation)
        {
            case TRUNCATED:
                return random.nextInt(length);

            case SCHEMA_ID:
                buffer.putShort(4, (short)otherThan(MessageHeaderEncoder.SCHEMA_ID));
                return length;

            case VERSION:
            {
                final int ours = MessageHeaderEncoder.SCHEMA_VERSION;
                buffer.putShort(6, (short)(ours + 1 + random.nextInt(0xFFFF - ours)));
                return length;
            }

            case TEMPLATE_ID:
                buffer.putShort(2, (short)unknownTemplate());
                return length;

            case BLOCK_LENGTH:
                buffer.putShort(0, (short)random.nextInt(header.wrap(buffer, 0).blockLength()));
                return length;

            case GROUP_COUNT:
            {
                // more entries than the bytes after the group header hold: the entries alone run past the end
                final int fitting = (length - layout.groupOffset - 4) / layout.groupEntryLength;
                buffer.putShort(layout.groupOffset + 2, (short)(fitting + 1 + random.nextInt(0xFFFF - fitting)));
                return length;
            }
            case OUT_OF_RANGE:
                outOfRange(layout, buffer);
                return length;

            case ENUM_VALUE:
            {
                // neither a defined value nor the null value (255)
                final int defined = layout.enumDefinedValues;
                buffer.putByte(layout.enumOffset, (byte)(defined + random.nextInt(255 - defined)));
                return length;
            }
            default:
            {
                // var-data is last in every message: a longer length points past the end, by a little or by up to
                // 4 GiB (uint32, so half of these read back as a negative int)
                final long present = length - layout.varDataOffset - 4;
                final long inflated = random.nextBoolean() ? present + 1 + random.nextInt(64) :
                    present + 1 + (random.nextLong() >>> 1) % (0xFFFF_FFFFL - present);
                buffer.putInt(layout.varDataOffset, (int)inflated);
                return length;
            }
        }
    }

    private void outOfRange(final MessageLayout layout, final MutableDirectBuffer buffer)
    {
        final int offset = layout.rangeOffset;
        final int replica = replicaCount + random.nextInt(0x10000 - replicaCount); // 16 bits in dots and ballots
        switch (layout.rangeKind)
        {
            case MessageLayout.DOT:
                buffer.putLong(offset, ((long)replica << 48) | (1 + random.nextInt(1 << 30)));
                break;
            case MessageLayout.BALLOT:
                buffer.putLong(offset, (buffer.getLong(offset) & ~0xFFFFL) | replica);
                break;
            case MessageLayout.REPLICA:
                buffer.putInt(offset, random.nextBoolean() ? replica : -1 - random.nextInt(1 << 20));
                break;
            default: // a log position: 0, negative, or past the 48 bits of an instance
                final int pick = random.nextInt(3);
                buffer.putLong(offset, pick == 0 ? 0 : pick == 1 ? -1 - random.nextInt(1 << 20) :
                    (1L << 48) + random.nextInt(1 << 30));
                break;
        }
    }

    private int otherThan(final int value)
    {
        final int other = random.nextInt(0xFFFF);
        return other >= value ? other + 1 : other;
    }

    private int unknownTemplate()
    {
        while (true)
        {
            final int templateId = random.nextInt(0x10000);
            boolean known = false;
            for (final int schemaTemplate : SCHEMA_TEMPLATES)
            {
                known |= schemaTemplate == templateId;
            }
            if (!known)
            {
                return templateId;
            }
        }
    }
}
