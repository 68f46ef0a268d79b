package io.roundtable.runtime;

import io.roundtable.codecs.CommandBatchEncoder;
import io.roundtable.codecs.MessageHeaderEncoder;
import io.roundtable.codecs.VarDataEncodingEncoder;
import io.roundtable.command.CommandBatchWriter;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.Random;

/** A random, valid command batch for the commands field of a {@link PeerMessages} message, and random bytes. */
final class RandomBatches
{
    final ExpandableArrayBuffer commands = new ExpandableArrayBuffer(16 * 1024);
    int commandsLength;
    private final Random random;
    private final CommandBatchWriter batchWriter = new CommandBatchWriter();
    private final ExpandableArrayBuffer payload = new ExpandableArrayBuffer(4096);
    private final long[] keys = new long[1];

    RandomBatches(final Random random)
    {
        this.random = random;
    }

    /** A new batch of one to three commands in {@link #commands}, {@link #commandsLength} bytes long. */
    void next()
    {
        final int count = 1 + random.nextInt(3);
        batchWriter.begin(commands, 0, count);
        for (int i = 0; i < count; i++)
        {
            keys[0] = random.nextLong();
            batchWriter.add(ClientIds.clientId(1 + random.nextInt(1 << 30), 0), 1 + random.nextInt(1000),
                random.nextBoolean(), keys, 1, payload, 0, randomBytes(random, payload));
        }
        commandsLength = batchWriter.end();
    }

    /**
     * Marks the first command's write flag, inside the commands var-data whose length field is at
     * {@code varDataOffset}, as the message's enum field; returns {@code limit}.
     */
    static int withCommands(final MessageLayout layout, final int varDataOffset, final int limit)
    {
        layout.varDataOffset = varDataOffset;
        layout.enumAt(varDataOffset + VarDataEncodingEncoder.lengthEncodingLength() +
            MessageHeaderEncoder.ENCODED_LENGTH + CommandBatchEncoder.CommandsEncoder.sbeHeaderSize() +
            CommandBatchEncoder.CommandsEncoder.writeEncodingOffset(), MessageLayout.BOOLEAN_VALUES);
        return limit;
    }

    /** Random bytes at the start of {@code buffer}, now and then enough for a message of several Aeron frames. */
    static int randomBytes(final Random random, final MutableDirectBuffer buffer)
    {
        final int length = random.nextInt(100) == 0 ? 1500 + random.nextInt(2500) : random.nextInt(64);
        for (int i = 0; i < length; i++)
        {
            buffer.putByte(i, (byte)random.nextInt());
        }
        return length;
    }
}
