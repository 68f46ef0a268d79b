package io.roundtable.statemachine;

import io.roundtable.codecs.BooleanType;
import io.roundtable.codecs.KvCommandDecoder;
import io.roundtable.codecs.KvOperation;
import io.roundtable.codecs.KvResultEncoder;
import io.roundtable.codecs.MessageHeaderDecoder;
import io.roundtable.codecs.MessageHeaderEncoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The built-in state machine: put/get/cas on {@code long} keys with byte values, commands and results encoded as
 * {@code KvCommand}/{@code KvResult}. A key's value buffer is reused when the new value fits, so steady-state
 * overwrites do not allocate.
 */
public final class KeyValueStateMachine implements StateMachine
{
    private final Long2ObjectHashMap<Value> values = new Long2ObjectHashMap<>();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final KvCommandDecoder commandDecoder = new KvCommandDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final KvResultEncoder resultEncoder = new KvResultEncoder();
    private final UnsafeBuffer expectedView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer valueView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer boundedView = new UnsafeBuffer(0, 0);
    private long malformedCommands;

    private static final class Value
    {
        byte[] bytes = new byte[16];
        int length;

        boolean equalTo(final DirectBuffer other, final int otherLength)
        {
            if (otherLength != length)
            {
                return false;
            }
            for (int i = 0; i < length; i++)
            {
                if (bytes[i] != other.getByte(i))
                {
                    return false;
                }
            }
            return true;
        }

        void set(final DirectBuffer source, final int sourceLength)
        {
            if (sourceLength > bytes.length)
            {
                bytes = new byte[Math.max(sourceLength, bytes.length * 2)];
            }
            source.getBytes(0, bytes, 0, sourceLength);
            length = sourceLength;
        }
    }

    public int apply(
        final long clientId,
        final long requestNumber,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength,
        final MutableDirectBuffer result,
        final int resultOffset)
    {
        if (!decode(payload, payloadOffset, payloadLength))
        {
            malformedCommands++;
            return 0;
        }
        final KvOperation operation = commandDecoder.operation();
        final long key = commandDecoder.key();

        resultEncoder.wrapAndApplyHeader(result, resultOffset, headerEncoder);
        Value current = values.get(key);
        switch (operation)
        {
            case PUT:
                if (current == null)
                {
                    current = new Value();
                    values.put(key, current);
                }
                current.set(valueView, valueView.capacity());
                resultEncoder.found(BooleanType.TRUE).putValue(valueView, 0, 0);
                break;

            case GET:
                if (current == null)
                {
                    resultEncoder.found(BooleanType.FALSE).putValue(valueView, 0, 0);
                }
                else
                {
                    resultEncoder.found(BooleanType.TRUE).putValue(current.bytes, 0, current.length);
                }
                break;

            case CAS:
                final boolean expectsAbsent = expectedView.capacity() == 0;
                final boolean matches = current == null ? expectsAbsent :
                    !expectsAbsent && current.equalTo(expectedView, expectedView.capacity());
                if (matches)
                {
                    if (current == null)
                    {
                        current = new Value();
                        values.put(key, current);
                    }
                    current.set(valueView, valueView.capacity());
                }
                resultEncoder.found(matches ? BooleanType.TRUE : BooleanType.FALSE).putValue(valueView, 0, 0);
                break;

            default:
                throw new IllegalStateException("unreachable: decode() admits only PUT, GET and CAS");
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + resultEncoder.encodedLength();
    }

    /**
     * Wraps the decoder and the expected/value views over the command, entirely within its bytes. Every replica
     * executes the same bytes, so rejecting a malformed command (with an empty result) is as deterministic as
     * applying a good one, and a client's garbage can never throw out of a replica's duty cycle.
     */
    private boolean decode(final DirectBuffer payload, final int payloadOffset, final int payloadLength)
    {
        if (payloadLength < MessageHeaderDecoder.ENCODED_LENGTH || payloadOffset < 0 ||
            payloadOffset + payloadLength > payload.capacity())
        {
            return false;
        }
        boundedView.wrap(payload, payloadOffset, payloadLength);
        headerDecoder.wrap(boundedView, 0);
        if (headerDecoder.schemaId() != KvCommandDecoder.SCHEMA_ID ||
            headerDecoder.templateId() != KvCommandDecoder.TEMPLATE_ID ||
            headerDecoder.blockLength() < KvCommandDecoder.BLOCK_LENGTH)
        {
            return false;
        }
        try
        {
            commandDecoder.wrapAndApplyHeader(boundedView, 0, headerDecoder);
            // raw: the typed accessor throws on an undefined value, which would escape every replica's execution
            final short operation = commandDecoder.operationRaw();
            if (operation != KvOperation.PUT.value() && operation != KvOperation.GET.value() &&
                operation != KvOperation.CAS.value())
            {
                return false;
            }
            commandDecoder.wrapExpected(expectedView);
            commandDecoder.wrapValue(valueView);
            return commandDecoder.limit() <= payloadLength;
        }
        catch (final IndexOutOfBoundsException ex)
        {
            return false;
        }
    }

    /** Layout: entry count, then per entry the key, the value's length and its bytes (little-endian). */
    public int snapshot(final MutableDirectBuffer out, final int offset)
    {
        int position = offset;
        out.putInt(position, values.size());
        position += Integer.BYTES;
        for (final Long2ObjectHashMap<Value>.EntryIterator it = values.entrySet().iterator(); it.hasNext(); )
        {
            it.next();
            final Value value = it.getValue();
            out.putLong(position, it.getLongKey());
            out.putInt(position + Long.BYTES, value.length);
            out.putBytes(position + Long.BYTES + Integer.BYTES, value.bytes, 0, value.length);
            position += Long.BYTES + Integer.BYTES + value.length;
        }
        return position - offset;
    }

    public void restore(final DirectBuffer snapshot, final int offset, final int length)
    {
        values.clear();
        final int end = offset + length;
        int position = offset;
        final int count = snapshot.getInt(position);
        position += Integer.BYTES;
        for (int i = 0; i < count; i++)
        {
            final long key = snapshot.getLong(position);
            final int valueLength = snapshot.getInt(position + Long.BYTES);
            position += Long.BYTES + Integer.BYTES;
            if (valueLength < 0 || position + valueLength > end)
            {
                throw new IllegalArgumentException("key-value snapshot is corrupt at entry " + i + " of " + count);
            }
            final Value value = new Value();
            valueView.wrap(snapshot, position, valueLength);
            value.set(valueView, valueLength);
            values.put(key, value);
            position += valueLength;
        }
        if (position != end)
        {
            throw new IllegalArgumentException("key-value snapshot has " + (end - position) + " trailing bytes");
        }
    }

    /** Commands that were not a well-formed {@code KvCommand}: rejected with an empty result, identically everywhere. */
    public long malformedCommands()
    {
        return malformedCommands;
    }

    /**
     * A hash of the whole store that does not depend on insertion order, so replicas that applied the same commands
     * have equal fingerprints. Iterates every entry (allocates an iterator): for checks and tools, not the hot path.
     */
    public long fingerprint()
    {
        long sum = values.size();
        for (final Long2ObjectHashMap<Value>.EntryIterator it = values.entrySet().iterator(); it.hasNext(); )
        {
            it.next();
            final Value value = it.getValue();
            long hash = it.getLongKey() * 0x9E37_79B9_7F4A_7C15L;
            for (int i = 0; i < value.length; i++)
            {
                hash = (hash ^ value.bytes[i]) * 0x100_0000_01B3L;
            }
            sum += hash ^ (hash >>> 29);
        }
        return sum;
    }

    public int size()
    {
        return values.size();
    }

    /**
     * How this store differs from {@code other}: the number of keys whose values differ or that only one side holds,
     * and the first few of them with both values, or "no difference". For a failed agreement check, where a
     * fingerprint alone says nothing about what diverged; allocates.
     */
    public String describeDifference(final KeyValueStateMachine other)
    {
        final StringBuilder text = new StringBuilder();
        int differing = 0;
        for (final Long2ObjectHashMap<Value>.EntryIterator it = values.entrySet().iterator(); it.hasNext(); )
        {
            it.next();
            final Value mine = it.getValue();
            final Value theirs = other.values.get(it.getLongKey());
            if (null == theirs || !Arrays.equals(mine.bytes, 0, mine.length, theirs.bytes, 0, theirs.length))
            {
                differing = appendDifference(text, differing, it.getLongKey(), mine, theirs);
            }
        }
        for (final Long2ObjectHashMap<Value>.EntryIterator it = other.values.entrySet().iterator(); it.hasNext(); )
        {
            it.next();
            if (!values.containsKey(it.getLongKey()))
            {
                differing = appendDifference(text, differing, it.getLongKey(), null, it.getValue());
            }
        }
        return 0 == differing ? "no difference" : differing + " keys differ:" + text;
    }

    private static int appendDifference(
        final StringBuilder text, final int differing, final long key, final Value mine, final Value theirs)
    {
        if (differing < 5)
        {
            text.append(" key ").append(key).append(' ').append(describe(mine)).append(" vs ").append(describe(theirs))
                .append(';');
        }
        return differing + 1;
    }

    private static String describe(final Value value)
    {
        return null == value ? "absent" : HexFormat.of().formatHex(value.bytes, 0, value.length);
    }
}
