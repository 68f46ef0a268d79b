package io.roundtable.statemachine;

import io.roundtable.codecs.BooleanType;
import io.roundtable.codecs.KvCommandEncoder;
import io.roundtable.codecs.KvOperation;
import io.roundtable.codecs.KvResultDecoder;
import io.roundtable.codecs.MessageHeaderDecoder;
import io.roundtable.codecs.MessageHeaderEncoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Client-side encoding of key-value commands and decoding of their results, for the built-in
 * {@link KeyValueStateMachine}. An empty CAS expectation means "the key has no value".
 */
public final class KeyValueCommands
{
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final KvCommandEncoder commandEncoder = new KvCommandEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final KvResultDecoder resultDecoder = new KvResultDecoder();

    public int put(final MutableDirectBuffer buffer, final int offset, final long key, final byte[] value)
    {
        return encode(buffer, offset, KvOperation.PUT, key, EMPTY, value);
    }

    /** A PUT whose value is {@code valueLength} bytes of {@code value}: the allocation-free form. */
    public int put(
        final MutableDirectBuffer buffer, final int offset, final long key,
        final DirectBuffer value, final int valueOffset, final int valueLength)
    {
        commandEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .operation(KvOperation.PUT)
            .key(key)
            .putExpected(EMPTY, 0, 0)
            .putValue(value, valueOffset, valueLength);
        return MessageHeaderEncoder.ENCODED_LENGTH + commandEncoder.encodedLength();
    }

    public int get(final MutableDirectBuffer buffer, final int offset, final long key)
    {
        return encode(buffer, offset, KvOperation.GET, key, EMPTY, EMPTY);
    }

    public int cas(
        final MutableDirectBuffer buffer, final int offset, final long key, final byte[] expected, final byte[] value)
    {
        return encode(buffer, offset, KvOperation.CAS, key, expected, value);
    }

    private int encode(
        final MutableDirectBuffer buffer,
        final int offset,
        final KvOperation operation,
        final long key,
        final byte[] expected,
        final byte[] value)
    {
        commandEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .operation(operation)
            .key(key)
            .putExpected(expected, 0, expected.length)
            .putValue(value, 0, value.length);
        return MessageHeaderEncoder.ENCODED_LENGTH + commandEncoder.encodedLength();
    }

    /** @return whether the GET found a value / the CAS swapped. */
    public boolean resultFound(final DirectBuffer result, final int offset)
    {
        resultDecoder.wrapAndApplyHeader(result, offset, headerDecoder);
        return resultDecoder.found() == BooleanType.TRUE;
    }

    /** Copies the GET result value into {@code destination}; returns its length. */
    public int resultValue(final DirectBuffer result, final int offset, final byte[] destination)
    {
        resultDecoder.wrapAndApplyHeader(result, offset, headerDecoder);
        resultDecoder.found();
        return resultDecoder.getValue(destination, 0, destination.length);
    }

    /** The first 8 bytes of a GET's value as a little-endian long, or {@code absent} if nothing was found. */
    public long resultLong(final DirectBuffer result, final int offset, final long absent)
    {
        resultDecoder.wrapAndApplyHeader(result, offset, headerDecoder);
        if (resultDecoder.found() != BooleanType.TRUE || resultDecoder.valueLength() < Long.BYTES)
        {
            return absent;
        }
        final int valueOffset = resultDecoder.limit() + KvResultDecoder.valueHeaderLength();
        return result.getLong(valueOffset, ByteOrder.LITTLE_ENDIAN);
    }

    private static final byte[] EMPTY = new byte[0];
}
