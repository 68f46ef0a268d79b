package io.roundtable.statemachine;

import io.roundtable.codecs.BooleanType;
import io.roundtable.codecs.KvCommandEncoder;
import io.roundtable.codecs.KvOperation;
import io.roundtable.codecs.KvResultDecoder;
import io.roundtable.codecs.MessageHeaderDecoder;
import io.roundtable.codecs.MessageHeaderEncoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

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

    private static final byte[] EMPTY = new byte[0];
}
