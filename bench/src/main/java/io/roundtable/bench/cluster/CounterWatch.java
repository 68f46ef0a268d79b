package io.roundtable.bench.cluster;

import io.roundtable.runtime.ReplicaCounter;
import io.roundtable.runtime.ReplicaCounters;
import org.agrona.concurrent.status.CountersReader;

/**
 * Replica counters summed over the cluster, robust to a replica stopping mid-window: a stopped replica's counters
 * disappear from the driver (they read 0), so each replica's value is the highest seen at any {@link #sample()}.
 */
final class CounterWatch
{
    private static final ReplicaCounter[] WATCHED =
        {ReplicaCounter.FAST_PATH, ReplicaCounter.SLOW_PATH, ReplicaCounter.RECOVERIES,
            ReplicaCounter.INSTANCES_COMMITTED, ReplicaCounter.DEPENDENCIES, ReplicaCounter.STABILITY_WAITS,
            ReplicaCounter.STABILITY_WAIT_NS, ReplicaCounter.MESSAGES_OUT};

    private final CountersReader counters;
    private final long[][] highest;

    CounterWatch(final CountersReader counters, final int replicas)
    {
        this.counters = counters;
        this.highest = new long[WATCHED.length][replicas];
        sample();
    }

    void sample()
    {
        for (int c = 0; c < WATCHED.length; c++)
        {
            for (int id = 0; id < highest[c].length; id++)
            {
                highest[c][id] = Math.max(highest[c][id], ReplicaCounters.read(counters, id, WATCHED[c]));
            }
        }
    }

    long total(final ReplicaCounter counter)
    {
        for (int c = 0; c < WATCHED.length; c++)
        {
            if (WATCHED[c] == counter)
            {
                long total = 0;
                for (final long value : highest[c])
                {
                    total += value;
                }
                return total;
            }
        }
        throw new IllegalArgumentException(counter + " is not watched");
    }
}
