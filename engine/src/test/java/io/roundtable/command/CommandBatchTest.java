package io.roundtable.command;

import io.roundtable.codecs.MessageHeaderDecoder;
import io.roundtable.codecs.CommandBatchDecoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandBatchTest
{
    @Test
    void keysOfABatchAreUnionedAndAKeyIsAWriteIfAnyCommandWritesIt()
    {
        final ExpandableArrayBuffer batch = new ExpandableArrayBuffer(256);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[] {9, 8});
        final int length = new CommandBatchWriter().begin(batch, 4, 2)
            .add(1, 10, false, new long[] {5, 6}, 2, payload, 0, 2)
            .add(2, 20, true, new long[] {6}, 1, payload, 0, 1)
            .length();

        final CommandBatchReader reader = new CommandBatchReader();
        assertTrue(reader.isValid(batch, 4, length));
        final KeySet keys = new KeySet();
        reader.readKeys(batch, 4, length, keys);
        assertEquals(2, keys.count());
        assertEquals(5, keys.key(0));
        assertFalse(keys.isWrite(0));
        assertEquals(6, keys.key(1));
        assertTrue(keys.isWrite(1));

        final List<String> seen = new ArrayList<>();
        reader.forEachCommand(batch, 4, (clientId, requestNumber, write, buffer, offset, len) ->
            seen.add(clientId + "/" + requestNumber + "/" + write + "/" + len));
        assertEquals(List.of("1/10/false/2", "2/20/true/1"), seen);
    }

    @Test
    void truncatedOrTrailingBytesMakeABatchInvalid()
    {
        final ExpandableArrayBuffer batch = new ExpandableArrayBuffer(256);
        final int length = new CommandBatchWriter().begin(batch, 0, 1)
            .add(1, 1, true, new long[] {5}, 1, new UnsafeBuffer(new byte[4]), 0, 4)
            .length();
        final CommandBatchReader reader = new CommandBatchReader();
        assertTrue(reader.isValid(batch, 0, length));
        for (int cut = 1; cut < length; cut++)
        {
            assertFalse(reader.isValid(batch, 0, length - cut), "truncated by " + cut);
        }
        assertFalse(reader.isValid(batch, 0, length + 1), "trailing garbage");
    }

    @Test
    void groupEntrySizesOtherThanTheSchemasMakeABatchInvalid()
    {
        final ExpandableArrayBuffer batch = new ExpandableArrayBuffer(256);
        final int length = new CommandBatchWriter().begin(batch, 0, 1)
            .add(1, 1, true, new long[] {5}, 1, new UnsafeBuffer(new byte[4]), 0, 4)
            .length();
        final CommandBatchReader reader = new CommandBatchReader();
        final int commandsHeader = MessageHeaderDecoder.ENCODED_LENGTH + CommandBatchDecoder.BLOCK_LENGTH;
        final int keysHeader = commandsHeader + 4 + CommandBatchDecoder.CommandsDecoder.sbeBlockLength();
        for (final int blockLengthAt : new int[] {commandsHeader, keysHeader})
        {
            final short original = batch.getShort(blockLengthAt);
            for (final int blockLength : new int[] {0, original - 1, original + 1})
            {
                batch.putShort(blockLengthAt, (short)blockLength);
                assertFalse(reader.isValid(batch, 0, length), "block length " + blockLength + " at " + blockLengthAt);
            }
            batch.putShort(blockLengthAt, original);
            assertTrue(reader.isValid(batch, 0, length));
        }
    }
}
