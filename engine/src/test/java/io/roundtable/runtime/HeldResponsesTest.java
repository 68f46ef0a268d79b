package io.roundtable.runtime;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HeldResponsesTest
{
    private final HeldResponses held = new HeldResponses();
    private final List<String> sent = new ArrayList<>();
    private final HeldResponses.Sender recorder = (clientId, requestNumber, result, offset, length) ->
    {
        final byte[] bytes = new byte[length];
        result.getBytes(offset, bytes);
        sent.add(clientId + "/" + requestNumber + "=" + new String(bytes));
    };

    @Test
    void nothingLeavesUntilReleaseThenEverythingInOrder()
    {
        held.hold(7, 1, bytes("first"), 0, 5);
        held.hold(8, 1, bytes("xsecond"), 1, 6);
        held.hold(7, 2, bytes(""), 0, 0);
        assertEquals(List.of(), sent);
        assertEquals(3, held.size());

        assertEquals(3, held.release(recorder));

        assertEquals(List.of("7/1=first", "8/1=second", "7/2="), sent);
        assertEquals(0, held.size());
    }

    @Test
    void aReleasedAnswerIsNotSentAgainAndTheBufferIsReused()
    {
        held.hold(1, 1, bytes("a"), 0, 1);
        held.release(recorder);
        for (int round = 0; round < 1000; round++)
        {
            held.hold(2, round, bytes("large-result-" + round), 0, ("large-result-" + round).length());
        }
        assertEquals(1000, held.release(recorder));
        assertEquals(0, held.release(recorder));

        assertEquals(1001, sent.size());
        assertEquals("1/1=a", sent.get(0));
        assertEquals("2/999=large-result-999", sent.get(1000));
    }

    private static UnsafeBuffer bytes(final String text)
    {
        return new UnsafeBuffer(text.getBytes());
    }
}
