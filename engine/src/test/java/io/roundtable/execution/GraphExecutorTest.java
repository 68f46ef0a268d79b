package io.roundtable.execution;

import io.roundtable.protocol.Dot;
import org.agrona.collections.LongArrayList;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.roundtable.execution.ExecutionRecorder.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GraphExecutorTest
{
    private static final int ALL = Integer.MAX_VALUE;

    private static final long A = Dot.of(0, 1);
    private static final long B = Dot.of(1, 1);
    private static final long C = Dot.of(2, 1);

    private final ExecutionRecorder recorder = new ExecutionRecorder();
    private final GraphExecutor executor = new GraphExecutor(3, 16, recorder);

    @Test
    void slidesCycleExecutesDependencyFreeNodeFirstThenCycleBySeq()
    {
        // dep(A) = {C}, dep(C) = {B, A}, dep(B) = {}: B is a sink; A and C form a cycle ordered by seq.
        commit(A, 2, C);
        commit(C, 1, B, A);
        commit(B, 5);
        executor.execute(ALL);

        assertEquals(describe(B, C, A), recorder.describe());
    }

    @Test
    void slidesCycleWithLowerSeqOnAExecutesAFirst()
    {
        commit(C, 2, B, A);
        commit(A, 1, C);
        commit(B, 0);
        executor.execute(ALL);

        assertEquals(describe(B, A, C), recorder.describe());
    }

    @Test
    void slidesCycleWithEqualSeqsBreaksTiesByReplica()
    {
        commit(B, 7);
        commit(A, 3, C);
        commit(C, 3, B, A);
        executor.execute(ALL);

        assertEquals(describe(B, A, C), recorder.describe());
    }

    @Test
    void equalSeqAndReplicaBreakTiesByInstance()
    {
        final long a2 = Dot.of(0, 2);
        final long a1 = Dot.of(0, 1);
        commit(a2, 4, a1);
        commit(a1, 4, a2);
        executor.execute(ALL);

        assertEquals(describe(a1, a2), recorder.describe());
    }

    @Test
    void componentThatDependsOnAnotherExecutesAfterIt()
    {
        // Sink component {a1, a2, a3} (a ring), source component {b1, b2} with b1 -> a2.
        final long a1 = Dot.of(0, 1);
        final long a2 = Dot.of(0, 2);
        final long a3 = Dot.of(0, 3);
        final long b1 = Dot.of(1, 1);
        final long b2 = Dot.of(1, 2);
        commit(b1, 0, b2, a2);
        commit(b2, 0, b1);
        commit(a1, 9, a2);
        commit(a2, 8, a3);
        commit(a3, 7, a1);
        executor.execute(ALL);

        assertEquals(describe(a3, a2, a1, b1, b2), recorder.describe());
    }

    @Test
    void nestedCyclesFormOneComponentAfterTheirSink()
    {
        // a <-> b and b -> c -> d -> b share b, so {a, b, c, d} is one component; e is its sink.
        final long a = Dot.of(0, 1);
        final long b = Dot.of(1, 1);
        final long c = Dot.of(2, 1);
        final long d = Dot.of(0, 2);
        final long e = Dot.of(1, 2);
        commit(a, 3, b);
        commit(b, 1, a, c);
        commit(c, 2, d);
        commit(d, 1, b, e);
        commit(e, 9);
        executor.execute(ALL);

        assertEquals(describe(e, d, b, c, a), recorder.describe());
    }

    @Test
    void thousandNodeRingExecutesAcrossManySmallCallsInSeqReplicaInstanceOrder()
    {
        final int nodes = 1000;
        final int workLimit = 7;
        final List<Long> ring = new ArrayList<>();
        final Map<Long, Integer> seqOf = new HashMap<>();
        for (int i = 0; i < nodes; i++)
        {
            ring.add(Dot.of(i % 3, i / 3 + 1));
            seqOf.put(ring.get(i), (i * 37) % 11);
        }
        for (int i = 0; i < nodes; i++)
        {
            commit(ring.get(i), seqOf.get(ring.get(i)), ring.get((i + 1) % nodes));
        }

        int calls = 0;
        int work;
        while ((work = executor.execute(workLimit)) > 0)
        {
            assertTrue(work <= workLimit, "work " + work);
            calls++;
        }

        final List<Long> expected = new ArrayList<>(ring);
        expected.sort(Comparator.<Long>comparingInt(seqOf::get)
            .thenComparingInt(Dot::replica)
            .thenComparingLong(Dot::instance));
        assertEquals(describe(expected.stream().mapToLong(Long::longValue).toArray()), recorder.describe());
        assertTrue(calls >= 2 * nodes / workLimit, "search and execution both resume across calls: " + calls);
        assertEquals(0, executor.storedCount());
    }

    @Test
    void nodeWaitsForLateDependencyAndRecoveryIsToldExactlyWhichDot()
    {
        commit(B, 2, A);

        assertTrue(executor.execute(ALL) > 0, "the root is tried once, then waits without busy-looping");
        assertEquals(0, recorder.size());
        assertEquals(0, executor.execute(ALL), "nothing to do until the missing dot commits");
        assertEquals(1, executor.pendingCount());
        final LongArrayList missing = new LongArrayList();
        assertEquals(1, executor.forEachMissingDependency(missing::addLong));
        assertEquals(describe(A), describe(missing.toLongArray()));

        commit(A, 1);
        executor.execute(ALL);

        assertEquals(describe(A, B), recorder.describe());
        assertEquals(0, executor.pendingCount());
        assertEquals(0, executor.forEachMissingDependency(missing::addLong));
    }

    @Test
    void missingDependencyIsReportedOnceThoughManyNodesNeedIt()
    {
        commit(B, 0, A, C);
        commit(Dot.of(1, 2), 0, A, B);
        executor.execute(ALL);

        final LongArrayList missing = new LongArrayList();
        assertEquals(2, executor.forEachMissingDependency(missing::addLong));
        missing.sort(null);
        assertEquals(describe(A, C), describe(missing.toLongArray()));
    }

    @Test
    void dependencyCommittedWhileAnotherSearchIsSuspendedStillOrdersCorrectly()
    {
        final long a1 = Dot.of(0, 1);
        final long a2 = Dot.of(0, 2);
        final long a3 = Dot.of(0, 3);
        commit(a3, 0, a2);
        commit(a2, 0, a1);
        executor.execute(ALL);
        commit(a1, 0);
        executor.execute(2);
        commit(B, 0, a3, C);
        commit(C, 0);
        executor.execute(ALL);

        assertEquals(describe(a1, a2, a3, C, B), recorder.describe());
    }

    @Test
    void duplicateCommitIsIgnored()
    {
        commit(A, 1);
        commit(A, 0, B);
        executor.execute(ALL);
        commit(A, 1);
        executor.execute(ALL);

        assertEquals(describe(A), recorder.describe());
        assertEquals(0, executor.forEachMissingDependency(dot -> { }));
    }

    @Test
    void duplicateCommitOfExecutedNodeAboveWatermarkIsIgnored()
    {
        final long a2 = Dot.of(0, 2);
        commit(a2, 0);
        executor.execute(ALL);
        commit(a2, 0, A);
        executor.execute(ALL);

        assertEquals(describe(a2), recorder.describe());
        assertEquals(1, executor.storedCount(), "kept: instance 1 is a gap below it");
        assertEquals(0, executor.pendingCount());
    }

    @Test
    void selfDependencyIsIgnored()
    {
        commit(A, 0, A);
        commit(B, 0, B, A);
        executor.execute(ALL);

        assertEquals(describe(A, B), recorder.describe());
    }

    @Test
    void dependencyOnExecutedAndFreedDotIsSatisfied()
    {
        commit(A, 0);
        executor.execute(ALL);
        assertEquals(0, executor.storedCount(), "A is at the watermark, so it is forgotten");

        commit(B, 0, A, Dot.NONE);
        executor.execute(ALL);

        assertEquals(describe(A, B), recorder.describe());
        assertTrue(executor.isExecuted(A));
        assertEquals(0, executor.forEachMissingDependency(dot -> { }));
    }

    @Test
    void executedUpToAdvancesOnlyOverContiguousExecutedInstances()
    {
        final long a1 = Dot.of(0, 1);
        final long a2 = Dot.of(0, 2);
        final long a3 = Dot.of(0, 3);
        final long a4 = Dot.of(0, 4);
        commit(a3, 0);
        commit(a4, 0);
        commit(a1, 0);
        executor.execute(ALL);

        assertEquals(1, executor.executedUpTo(0));
        assertTrue(executor.isExecuted(a3));
        assertFalse(executor.isExecuted(a2));
        assertEquals(2, executor.storedCount(), "a3 and a4 wait above the gap");

        commit(a2, 0);
        executor.execute(ALL);

        assertEquals(4, executor.executedUpTo(0));
        assertEquals(0, executor.executedUpTo(1));
        assertEquals(0, executor.storedCount());
        assertEquals(describe(a3, a4, a1, a2), recorder.describe());
    }

    @Test
    void slotsAreReusedSoCapacityStaysFlatOverALongChain()
    {
        final int batch = 1000;
        long previous = Dot.NONE;
        for (long instance = 1; instance <= 100_000; instance++)
        {
            final long dot = Dot.of(1, instance);
            commit(dot, 0, previous);
            previous = dot;
            if (instance % batch == 0)
            {
                executor.execute(ALL);
                assertEquals(instance, recorder.size());
            }
        }

        assertEquals(100_000, executor.executedUpTo(1));
        assertEquals(0, executor.storedCount());
        assertTrue(executor.capacity() <= 1024, "capacity " + executor.capacity());
    }

    @Test
    void workIsBoundedPerCallAndReportedHonestly()
    {
        final long a1 = Dot.of(0, 1);
        commit(a1, 0);
        commit(Dot.of(0, 2), 0, a1);

        int calls = 0;
        int work;
        while ((work = executor.execute(1)) > 0)
        {
            assertEquals(1, work);
            calls++;
        }

        assertTrue(calls > 2);
        assertEquals(2, recorder.size());
    }

    @Test
    void listenerMayCommitWhileAComponentExecutesEvenIfTheTableGrows()
    {
        final int ringSize = 20;
        final long[] noDeps = new long[0];
        final GraphExecutor[] self = new GraphExecutor[1];
        self[0] = new GraphExecutor(2, 16, (dot) ->
        {
            recorder.onExecute(dot);
            if (Dot.replica(dot) == 0)
            {
                self[0].commit(Dot.of(1, 2 * Dot.instance(dot) - 1), 0, noDeps, 0);
                self[0].commit(Dot.of(1, 2 * Dot.instance(dot)), 0, noDeps, 0);
            }
        });
        final long[] link = new long[1];
        for (int i = 1; i <= ringSize; i++)
        {
            link[0] = Dot.of(0, i % ringSize + 1);
            self[0].commit(Dot.of(0, i), 0, link, 1);
        }
        final int capacityBefore = self[0].capacity();
        while (self[0].execute(5) > 0)
        {
            // drain
        }

        final long[] expected = new long[3 * ringSize];
        for (int i = 0; i < ringSize; i++)
        {
            expected[i] = Dot.of(0, i + 1);
        }
        for (int i = 0; i < 2 * ringSize; i++)
        {
            expected[ringSize + i] = Dot.of(1, i + 1);
        }
        assertEquals(describe(expected), recorder.describe());
        assertTrue(self[0].capacity() > capacityBefore, "the table grew while the ring's component was executing");
        assertEquals(0, self[0].storedCount());
    }

    @Test
    void rejectsDotsOfUnknownReplicas()
    {
        assertThrows(IllegalArgumentException.class, () -> commit(Dot.of(3, 1), 0));
        assertThrows(IllegalArgumentException.class, () -> commit(A, 0, Dot.of(5, 1)));
        assertThrows(IllegalArgumentException.class, () -> commit(Dot.of(0, 0), 0));
        assertThrows(IllegalArgumentException.class, () -> executor.executedUpTo(3));
    }

    private void commit(final long dot, final int seq, final long... deps)
    {
        executor.commit(dot, seq, deps, deps.length);
    }
}
