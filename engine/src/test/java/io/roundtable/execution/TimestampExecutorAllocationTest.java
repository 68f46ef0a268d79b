package io.roundtable.execution;

import io.roundtable.command.KeySet;
import io.roundtable.protocol.Dot;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The executor runs inside a duty cycle that must not allocate: once its arrays are warm, it allocates nothing. */
class TimestampExecutorAllocationTest
{
    private static final int COMMANDS = 1000;
    private static final int REPLICAS = 3;
    private static final int KEYS = 64;

    private final long[] nextInstance = new long[REPLICAS];
    private final KeySet keys = new KeySet();
    private int executed;
    private long timestamp;
    private final TimestampExecutor executor = new TimestampExecutor(REPLICAS, 16, (dot) -> executed++);

    @Test
    void commitStableAndExecuteAllocateNothingOnceWarm()
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs per-thread allocation counters");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        for (int round = 0; round < 1000; round++)
        {
            runRound(round);
        }

        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int round = 0; round < 100; round++)
        {
            runRound(round);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(0, allocated, "bytes allocated by 100 warm rounds of " + COMMANDS + " commands");
    }

    /** Multi-key commands over a few keys, committed with growing timestamps, made stable in steps, executed. */
    private void runRound(final int round)
    {
        executed = 0;
        for (int i = 0; i < COMMANDS; i++)
        {
            final int replica = i % REPLICAS;
            keys.clear();
            keys.add((i * 7L + round) % KEYS, true);
            keys.add((i * 13L + 5) % KEYS, false);
            executor.commit(Dot.of(replica, ++nextInstance[replica]), ++timestamp, keys);
            if (i % 100 == 99)
            {
                for (long key = 0; key < KEYS; key++)
                {
                    executor.stable(key, timestamp - 50);
                }
                executor.execute(64);
            }
        }
        for (long key = 0; key < KEYS; key++)
        {
            executor.stable(key, timestamp);
        }
        while (executor.execute(64) > 0)
        {
            // drain
        }
        assertEquals(COMMANDS, executed);
    }
}
