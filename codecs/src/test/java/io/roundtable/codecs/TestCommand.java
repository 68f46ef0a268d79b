package io.roundtable.codecs;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.roundtable.codecs.CodecFixture.GROUP_HEADER_LENGTH;
import static io.roundtable.codecs.CodecFixture.HEADER_LENGTH;
import static io.roundtable.codecs.CodecFixture.VAR_DATA_HEADER_LENGTH;
import static io.roundtable.codecs.CodecFixture.assertHeader;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * One client command as the tests model it, plus encoding and checking of a whole CommandBatch, because the batch is
 * both a message of its own and the opaque {@code commands} var-data of PreAccept, Accept, Commit, PrepareOk,
 * TryPreAccept and InstanceRecord.
 */
record TestCommand(long clientId, long requestNumber, boolean write, long[] keys, byte[] payload)
{
    /** clientId + requestNumber + write. */
    static final int COMMAND_BLOCK_LENGTH = 8 + 8 + 1;

    /** The wire size, header included, computed from the schema rather than from the encoder under test. */
    static int expectedBatchLength(final TestCommand... commands)
    {
        int length = HEADER_LENGTH + CommandBatchEncoder.BLOCK_LENGTH + GROUP_HEADER_LENGTH;
        for (final TestCommand command : commands)
        {
            length += COMMAND_BLOCK_LENGTH + GROUP_HEADER_LENGTH + 8 * command.keys.length +
                VAR_DATA_HEADER_LENGTH + command.payload.length;
        }
        return length;
    }

    /** Encodes a batch with its message header at {@code offset} and returns the total length written. */
    static int encodeBatch(final MutableDirectBuffer buffer, final int offset, final TestCommand... commands)
    {
        final CommandBatchEncoder encoder = new CommandBatchEncoder()
            .wrapAndApplyHeader(buffer, offset, new MessageHeaderEncoder());

        final CommandBatchEncoder.CommandsEncoder commandsEncoder = encoder.commandsCount(commands.length);
        for (final TestCommand command : commands)
        {
            commandsEncoder.next()
                .clientId(command.clientId)
                .requestNumber(command.requestNumber)
                .write(command.write ? BooleanType.TRUE : BooleanType.FALSE);

            // SBE requires each group and var-data to be written in schema order, nested groups before the
            // entry's var-data: the keys group must be complete before putPayload.
            final CommandBatchEncoder.CommandsEncoder.KeysEncoder keysEncoder =
                commandsEncoder.keysCount(command.keys.length);
            for (final long key : command.keys)
            {
                keysEncoder.next().key(key);
            }
            commandsEncoder.putPayload(command.payload, 0, command.payload.length);
        }

        return HEADER_LENGTH + encoder.encodedLength();
    }

    /**
     * Decodes the batch at {@code offset}, asserts it equals {@code expected} field by field, and that the decoder
     * consumed exactly {@code length} bytes (header included).
     */
    static void assertBatch(
        final DirectBuffer buffer, final int offset, final int length, final TestCommand... expected)
    {
        final MessageHeaderDecoder header = assertHeader(
            buffer, offset, CommandBatchDecoder.TEMPLATE_ID, CommandBatchDecoder.BLOCK_LENGTH);
        final CommandBatchDecoder decoder = new CommandBatchDecoder().wrap(
            buffer, offset + HEADER_LENGTH, header.blockLength(), header.version());

        final CommandBatchDecoder.CommandsDecoder commands = decoder.commands();
        assertEquals(expected.length, commands.count(), "commands count");
        assertEquals(COMMAND_BLOCK_LENGTH, commands.actingBlockLength(), "commands block length");
        for (int i = 0; i < expected.length; i++)
        {
            final TestCommand command = expected[i];
            commands.next();
            assertEquals(command.clientId, commands.clientId(), "clientId of command " + i);
            assertEquals(command.requestNumber, commands.requestNumber(), "requestNumber of command " + i);
            assertEquals(command.write ? BooleanType.TRUE : BooleanType.FALSE, commands.write(), "write " + i);

            final CommandBatchDecoder.CommandsDecoder.KeysDecoder keys = commands.keys();
            assertEquals(command.keys.length, keys.count(), "keys count of command " + i);
            for (int k = 0; k < command.keys.length; k++)
            {
                assertEquals(command.keys[k], keys.next().key(), "key " + k + " of command " + i);
            }
            assertFalse(keys.hasNext());

            assertEquals(command.payload.length, commands.payloadLength(), "payload length of command " + i);
            final byte[] payload = new byte[commands.payloadLength()];
            assertEquals(payload.length, commands.getPayload(payload, 0, payload.length));
            assertArrayEquals(command.payload, payload, "payload of command " + i);
        }
        assertFalse(commands.hasNext());

        assertEquals(length, HEADER_LENGTH + decoder.encodedLength(), "bytes consumed by reading every field");
        assertEquals(length, HEADER_LENGTH + decoder.sbeDecodedLength(), "sbeDecodedLength");
    }
}
