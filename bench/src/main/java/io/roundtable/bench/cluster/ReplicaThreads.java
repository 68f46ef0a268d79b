package io.roundtable.bench.cluster;

import java.lang.management.ManagementFactory;

/**
 * Bytes allocated by the replica agent threads of this JVM (named {@code roundtable-replica-<id>}) over a window,
 * from the JVM's per-thread allocation counters: the runtime's allocation per command, a check that the hot path
 * stays allocation-free beyond JMH.
 */
final class ReplicaThreads
{
    private static final String NAME_PREFIX = "roundtable-replica-";

    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private long[] ids = new long[0];
    private long[] before = new long[0];

    /** Finds the replica threads running now and reads their counters. */
    void startMeasuring()
    {
        ids = Thread.getAllStackTraces().keySet().stream()
            .filter((thread) -> thread.getName().startsWith(NAME_PREFIX))
            .mapToLong(Thread::getId)
            .toArray();
        before = threads.isThreadAllocatedMemorySupported() ? threads.getThreadAllocatedBytes(ids) : new long[0];
    }

    /** Bytes allocated since {@link #startMeasuring()} by the threads found then, or -1 if unknown. */
    long allocatedBytesSinceStart()
    {
        if (0 == ids.length || !threads.isThreadAllocatedMemorySupported())
        {
            return -1;
        }
        final long[] after = threads.getThreadAllocatedBytes(ids);
        long total = 0;
        for (int i = 0; i < ids.length; i++)
        {
            if (after[i] >= 0 && before[i] >= 0) // -1: the thread has ended (a stopped replica)
            {
                total += after[i] - before[i];
            }
        }
        return total;
    }
}
