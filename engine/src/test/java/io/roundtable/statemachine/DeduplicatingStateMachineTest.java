package io.roundtable.statemachine;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DeduplicatingStateMachineTest
{
    /** Records every application and answers with "client:request#n" for the n-th application. */
    private static final class RecordingStateMachine implements StateMachine
    {
        final List<String> applied = new ArrayList<>();
        int resultPadding;

        public int apply(
            final long clientId, final long requestNumber, final DirectBuffer payload, final int payloadOffset,
            final int payloadLength, final MutableDirectBuffer result, final int resultOffset)
        {
            applied.add(clientId + ":" + requestNumber);
            final String answer = clientId + ":" + requestNumber + "#" + applied.size() + "x".repeat(resultPadding);
            return result.putStringWithoutLengthAscii(resultOffset, answer);
        }
    }

    private final RecordingStateMachine delegate = new RecordingStateMachine();
    private final DeduplicatingStateMachine machine = new DeduplicatingStateMachine(delegate);
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
    private final ExpandableArrayBuffer result = new ExpandableArrayBuffer(16);

    private String apply(final long clientId, final long requestNumber)
    {
        final int length = machine.apply(clientId, requestNumber, payload, 0, 8, result, 4);
        return result.getStringWithoutLengthAscii(4, length);
    }

    @Test
    void appliesEachNewRequestOnce()
    {
        assertEquals("7:1#1", apply(7, 1));
        assertEquals("7:2#2", apply(7, 2));
        assertEquals(List.of("7:1", "7:2"), delegate.applied);
        assertEquals(2, machine.highestApplied(7));
    }

    @Test
    void answersARetryOfTheLastRequestFromTheCacheWithoutApplyingItAgain()
    {
        assertEquals("7:1#1", apply(7, 1));
        assertEquals("7:1#1", apply(7, 1));
        assertEquals("7:1#1", apply(7, 1));
        assertEquals(List.of("7:1"), delegate.applied);
        assertEquals(2, machine.duplicatesSkipped());
    }

    @Test
    void answersADuplicateOfASupersededRequestWithNothing()
    {
        apply(7, 1);
        apply(7, 2);
        assertEquals("", apply(7, 1));
        assertEquals(List.of("7:1", "7:2"), delegate.applied);
        assertEquals("7:2#2", apply(7, 2), "the cache still holds the last request's answer");
    }

    @Test
    void stillAppliesARequestThatArrivesAfterALaterOneOfTheSameClient()
    {
        // n+1 on another key does not conflict with n, so a replica that learned of n late may execute n+1 first
        apply(7, 1);
        assertEquals("7:4#2", apply(7, 4));
        assertEquals("7:3#3", apply(7, 3));
        assertEquals("7:2#4", apply(7, 2));
        assertEquals("", apply(7, 3), "applied once already");
        assertEquals("7:4#2", apply(7, 4), "the cache is the highest request's, not the latest applied");
        assertEquals(List.of("7:1", "7:4", "7:3", "7:2"), delegate.applied);
    }

    @Test
    void appliesRequestsBelowTheFirstOneSeenFromAClient()
    {
        assertEquals("7:5#1", apply(7, 5));
        assertEquals("7:1#2", apply(7, 1));
        assertEquals("", apply(7, 1));
        assertEquals(List.of("7:5", "7:1"), delegate.applied);
    }

    @Test
    void keepsClientsApart()
    {
        apply(7, 1);
        assertEquals("8:1#2", apply(8, 1));
        assertEquals("7:1#1", apply(7, 1));
        assertEquals("8:1#2", apply(8, 1));
        assertEquals(List.of("7:1", "8:1"), delegate.applied);
    }

    @Test
    void cachesAnAnswerLongerThanAnyBefore()
    {
        delegate.resultPadding = 200;
        final String first = apply(7, 1);
        assertEquals(205, first.length());
        assertEquals(first, apply(7, 1));
    }

    @Test
    void refusesNoDelegate()
    {
        assertThrows(NullPointerException.class, () -> new DeduplicatingStateMachine(null));
    }

    @Test
    void allocatesNothingOnceEveryClientIsKnown()
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs per-thread allocation counters");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        final DeduplicatingStateMachine quiet = new DeduplicatingStateMachine(
            (clientId, requestNumber, payload, payloadOffset, payloadLength, result, resultOffset) ->
            {
                result.putLong(resultOffset, requestNumber);
                return 8;
            });

        long request = 1;
        for (int warm = 0; warm < 20_000; warm++)
        {
            request = round(quiet, request);
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1_000; i++)
        {
            request = round(quiet, request);
        }
        assertEquals(0, threads.getCurrentThreadAllocatedBytes() - before, "bytes allocated by 1,000 warm rounds");
    }

    /** Per client: a new request, a retry of it, a late arrival filling a gap, a stale duplicate. */
    private long round(final DeduplicatingStateMachine quiet, final long request)
    {
        for (long client = 0; client < 16; client++)
        {
            quiet.apply(client, request + 1, payload, 0, 8, result, 0);
            quiet.apply(client, request + 1, payload, 0, 8, result, 0);
            quiet.apply(client, request, payload, 0, 8, result, 0);
            quiet.apply(client, request, payload, 0, 8, result, 0);
        }
        return request + 2;
    }
}
