package io.roundtable.bench.cluster;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/** Garbage collections of this JVM since construction: count and accumulated time, from the collectors' MXBeans. */
final class GcWatch
{
    private final long countBefore = count();
    private final long timeBeforeMs = timeMs();

    long collections()
    {
        return count() - countBefore;
    }

    long pauseMs()
    {
        return timeMs() - timeBeforeMs;
    }

    private static long count()
    {
        long total = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            total += Math.max(0, gc.getCollectionCount());
        }
        return total;
    }

    private static long timeMs()
    {
        long total = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }
}
