package io.roundtable.execution;

import io.roundtable.protocol.Dot;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Chains deep enough that a recursive search would overflow the stack, and bigger than one execute() call. */
class GraphExecutorLongChainTest
{
    private static final int LENGTH = 1_000_000;
    private static final int WORK_LIMIT = 10_000;
    private static final int ALL = Integer.MAX_VALUE;

    private final ExecutionRecorder recorder = new ExecutionRecorder();
    private final GraphExecutor executor = new GraphExecutor(2, 1024, recorder);
    private final long[] deps = new long[1];
    private long drainedWork;

    @Test
    void millionChainCommittedInReverseExecutesInDependencyOrderAcrossManyCalls()
    {
        for (int instance = LENGTH; instance >= 1; instance--)
        {
            commitChainLink(instance);
        }

        final int calls = drainInBoundedCalls();

        assertTrue(calls >= LENGTH / WORK_LIMIT, "a search this deep must resume across calls: " + calls);
        assertChainExecutedOnceInOrder();
    }

    @Test
    void millionChainCommittedForwardExecutesInDependencyOrderAcrossManyCalls()
    {
        for (int instance = 1; instance <= LENGTH; instance++)
        {
            commitChainLink(instance);
        }

        final int calls = drainInBoundedCalls();

        assertTrue(calls >= LENGTH / WORK_LIMIT, "calls: " + calls);
        assertChainExecutedOnceInOrder();
    }

    @Test
    void millionChainCommittedInReverseWithExecuteAfterEachCommitDoesLinearWork()
    {
        long work = 0;
        for (int instance = LENGTH; instance >= 1; instance--)
        {
            commitChainLink(instance);
            work += executor.execute(ALL);
            if (instance > 1)
            {
                assertEquals(0, recorder.size());
            }
        }

        assertTrue(work < 20L * LENGTH, "blocked chain re-walked: " + work + " steps");
        assertChainExecutedOnceInOrder();
    }

    @Test
    void millionChainWithItsFirstLinkLateDoesLinearWork()
    {
        long work = 0;
        for (int instance = 2; instance <= LENGTH; instance++)
        {
            commitChainLink(instance);
            work += executor.execute(ALL);
        }
        assertEquals(0, recorder.size());
        assertEquals(1, executor.forEachMissingDependency((dot) -> assertEquals(Dot.of(1, 1), dot)));

        commitChainLink(1);
        drainInBoundedCalls();
        work += drainedWork;

        assertTrue(work < 20L * LENGTH, "blocked chain re-walked: " + work + " steps");
        assertChainExecutedOnceInOrder();
    }

    private void commitChainLink(final int instance)
    {
        deps[0] = Dot.of(1, instance - 1);
        executor.commit(Dot.of(1, instance), 0, deps, instance > 1 ? 1 : 0);
    }

    private int drainInBoundedCalls()
    {
        int calls = 0;
        int work;
        while ((work = executor.execute(WORK_LIMIT)) > 0)
        {
            assertTrue(work <= WORK_LIMIT, "work " + work);
            drainedWork += work;
            calls++;
        }
        return calls;
    }

    private void assertChainExecutedOnceInOrder()
    {
        assertEquals(LENGTH, recorder.size());
        for (int i = 0; i < LENGTH; i++)
        {
            if (recorder.get(i) != Dot.of(1, i + 1))
            {
                fail("position " + i + " executed " + Dot.toString(recorder.get(i)));
            }
        }
        assertEquals(0, executor.pendingCount());
        assertEquals(LENGTH, executor.executedUpTo(1));
        assertEquals(0, executor.storedCount());
    }
}
