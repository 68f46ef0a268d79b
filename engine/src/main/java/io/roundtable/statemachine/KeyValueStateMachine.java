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
        commandDecoder.wrapAndApplyHeader(payload, payloadOffset, headerDecoder);
        final KvOperation operation = commandDecoder.operation();
        final long key = commandDecoder.key();
        commandDecoder.wrapExpected(expectedView);
        commandDecoder.wrapValue(valueView);

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
                throw new IllegalArgumentException("unknown key-value operation: " + operation);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + resultEncoder.encodedLength();
    }

    public int size()
    {
        return values.size();
    }
}
