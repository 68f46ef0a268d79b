package io.roundtable.execution;

import io.roundtable.protocol.Dot;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.function.LongConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The executor runs inside a duty cycle that must not allocate: once its arrays are warm, it allocates nothing. */
class GraphExecutorAllocationTest
{
    private static final int NODES = 1000;
    private static final int REPLICAS = 3;

    private final long[] deps = new long[2];
    private final long[] nextInstance = new long[REPLICAS];
    private final long[] batch = new long[NODES];
    private int executed;
    private int missing;
    private final GraphExecutor executor = new GraphExecutor(REPLICAS, 16, (dot) -> executed++);
    private final LongConsumer recovery = (dot) -> missing++; // held in a field: a lambda made per call allocates

    @Test
    void commitAndExecuteAllocateNothingOnceWarm()
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs per-thread allocation counters");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        for (int round = 0; round < 200; round++)
        {
            runRound(round);
        }

        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int round = 0; round < 100; round++)
        {
            runRound(round);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(0, allocated, "bytes allocated by 100 warm rounds of " + NODES + " nodes");
    }

    /** A 1,000-node ring with chords, committed with one link late, executed in small steps. */
    private void runRound(final int round)
    {
        executed = 0;
        for (int i = 0; i < NODES; i++)
        {
            final int replica = i % REPLICAS;
            batch[i] = Dot.of(replica, nextInstance[replica] + i / REPLICAS + 1);
        }
        final int late = round % NODES;
        for (int i = 0; i < NODES; i++)
        {
            if (i != late)
            {
                commitRingNode(i, round);
                executor.execute(64);
            }
        }
        missing = 0;
        assertEquals(1, executor.forEachMissingDependency(recovery));
        assertEquals(1, missing);
        commitRingNode(late, round);
        while (executor.execute(64) > 0)
        {
            // drain
        }
        for (int i = 0; i < NODES; i++)
        {
            nextInstance[Dot.replica(batch[i])]++;
        }
        assertEquals(NODES, executed);
    }

    private void commitRingNode(final int i, final int round)
    {
        deps[0] = batch[(i + NODES - 1) % NODES];
        deps[1] = batch[(i + 1 + round % 50) % NODES];
        executor.commit(batch[i], (i * 31 + round) % 13, deps, 2);
    }
}
