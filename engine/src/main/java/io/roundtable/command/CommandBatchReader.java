package io.roundtable.command;

import io.roundtable.codecs.BooleanType;
import io.roundtable.codecs.CommandBatchDecoder;
import io.roundtable.codecs.MessageHeaderDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads an encoded {@code CommandBatch} (the opaque commands of an instance) without allocating: extracts the key
 * set for conflict detection, and walks the commands for execution.
 */
public final class CommandBatchReader
{
    /** Receives each command of a batch, in order. */
    public interface CommandConsumer
    {
        void onCommand(long clientId, long requestNumber, boolean write, DirectBuffer payload, int offset, int length);
    }

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final CommandBatchDecoder batchDecoder = new CommandBatchDecoder();
    private final UnsafeBuffer payloadView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer boundedView = new UnsafeBuffer(0, 0);

    /**
     * Walks the whole batch within {@code length} bytes. An empty batch is valid: it is the no-op recovery commits
     * for an instance nobody saw. False for anything malformed (wrong header, truncated groups
     * or payloads, trailing garbage, a write flag neither true nor false, on which the typed accessor the other
     * methods use would throw), which callers treat as an input error: count and drop, before touching state.
     */
    public boolean isValid(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH || offset < 0 || offset + length > buffer.capacity())
        {
            return false;
        }
        headerDecoder.wrap(buffer, offset);
        if (headerDecoder.schemaId() != CommandBatchDecoder.SCHEMA_ID ||
            headerDecoder.templateId() != CommandBatchDecoder.TEMPLATE_ID ||
            headerDecoder.blockLength() != CommandBatchDecoder.BLOCK_LENGTH)
        {
            return false;
        }
        boundedView.wrap(buffer, offset, length);
        try
        {
            batchDecoder.wrapAndApplyHeader(boundedView, 0, headerDecoder);
            final CommandBatchDecoder.CommandsDecoder commands = batchDecoder.commands();
            if (commands.actingBlockLength() != CommandBatchDecoder.CommandsDecoder.sbeBlockLength())
            {
                return false; // another entry size would make readers' field offsets disagree with this walk
            }
            while (commands.hasNext())
            {
                commands.next();
                final short write = commands.writeRaw();
                if (write != BooleanType.TRUE.value() && write != BooleanType.FALSE.value())
                {
                    return false;
                }
                final CommandBatchDecoder.CommandsDecoder.KeysDecoder keys = commands.keys();
                if (keys.count() > 0 &&
                    keys.actingBlockLength() != CommandBatchDecoder.CommandsDecoder.KeysDecoder.sbeBlockLength())
                {
                    return false;
                }
                while (keys.hasNext())
                {
                    keys.next();
                }
                commands.skipPayload();
            }
            return batchDecoder.limit() == length;
        }
        catch (final IndexOutOfBoundsException ex)
        {
            return false;
        }
    }

    /** Clears {@code keys} and fills it with every key of every command in the batch. */
    public void readKeys(final DirectBuffer buffer, final int offset, final int length, final KeySet keys)
    {
        keys.clear();
        batchDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
        for (final CommandBatchDecoder.CommandsDecoder command : batchDecoder.commands())
        {
            final boolean write = command.write() == BooleanType.TRUE;
            for (final CommandBatchDecoder.CommandsDecoder.KeysDecoder key : command.keys())
            {
                keys.add(key.key(), write);
            }
            command.skipPayload();
        }
    }

    public int commandCount(final DirectBuffer buffer, final int offset)
    {
        batchDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
        return batchDecoder.commands().count();
    }

    public void forEachCommand(final DirectBuffer buffer, final int offset, final CommandConsumer consumer)
    {
        batchDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
        for (final CommandBatchDecoder.CommandsDecoder command : batchDecoder.commands())
        {
            final long clientId = command.clientId();
            final long requestNumber = command.requestNumber();
            final boolean write = command.write() == BooleanType.TRUE;
            for (final CommandBatchDecoder.CommandsDecoder.KeysDecoder ignored : command.keys())
            {
                // keys are only needed for conflicts; skip them to reach the payload
            }
            command.wrapPayload(payloadView);
            consumer.onCommand(clientId, requestNumber, write, payloadView, 0, payloadView.capacity());
        }
    }
}
