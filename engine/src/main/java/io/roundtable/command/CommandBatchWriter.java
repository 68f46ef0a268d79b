package io.roundtable.command;

import io.roundtable.codecs.BooleanType;
import io.roundtable.codecs.CommandBatchEncoder;
import io.roundtable.codecs.MessageHeaderEncoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes a {@code CommandBatch}: {@link #begin} with the number of commands, then {@link #add} each one; or, when
 * the count is not known up front (the runtime batching whatever arrives in one duty cycle), begin with the most it
 * may hold, add, and {@link #end()} to fix the count. Reusable and allocation-free.
 */
public final class CommandBatchWriter
{
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final CommandBatchEncoder batchEncoder = new CommandBatchEncoder();
    private CommandBatchEncoder.CommandsEncoder commands;
    private int offset;
    private int added;

    public CommandBatchWriter begin(final MutableDirectBuffer buffer, final int offset, final int commandCount)
    {
        this.offset = offset;
        this.added = 0;
        batchEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder);
        commands = batchEncoder.commandsCount(commandCount);
        return this;
    }

    public CommandBatchWriter add(
        final long clientId,
        final long requestNumber,
        final boolean write,
        final long[] keys,
        final int keyCount,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        commands.next().clientId(clientId).requestNumber(requestNumber).write(write ? BooleanType.TRUE : BooleanType.FALSE);
        final CommandBatchEncoder.CommandsEncoder.KeysEncoder keysEncoder = commands.keysCount(keyCount);
        for (int i = 0; i < keyCount; i++)
        {
            keysEncoder.next().key(keys[i]);
        }
        commands.putPayload(payload, payloadOffset, payloadLength);
        added++;
        return this;
    }

    /** Commands added since {@link #begin}. */
    public int addedCount()
    {
        return added;
    }

    /**
     * Fixes the batch's command count to the commands added so far (fewer than announced to {@link #begin}).
     *
     * @return the encoded length of the whole batch, header included.
     */
    public int end()
    {
        commands.resetCountToIndex();
        return length();
    }

    /** @return the encoded length of the whole batch, header included. */
    public int length()
    {
        return batchEncoder.limit() - offset;
    }
}
