package io.roundtable.tools;

import io.aeron.Aeron;
import io.roundtable.runtime.ReplicaCounter;
import io.roundtable.runtime.ReplicaCounters;
import io.roundtable.workload.KeyValueWorkload;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.status.CountersReader;

import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the closed-loop key-value workload against a cluster and reports it: a progress line per second, then
 * throughput, latency percentiles (submit to answer), fast-path ratio (from the replicas' counters, where this
 * process can read them) and the garbage collections of this JVM during the measured window.
 */
final class LoadDriver
{
    private final PrintWriter out;
    private final List<CountersReader> replicaCounters;
    private final int replicas;

    LoadDriver(final PrintWriter out, final List<CountersReader> replicaCounters, final int replicas)
    {
        this.out = out;
        this.replicaCounters = replicaCounters;
        this.replicas = replicas;
    }

    /** @return 0 if commands completed, 1 if none did. */
    int run(final Aeron aeron, final String[] clientEndpoints, final WorkloadOptions options, final Duration duration)
    {
        final IdleStrategy idle = new BackoffIdleStrategy();
        final int clients = options.clientsFor(clientEndpoints.length);
        try (KeyValueWorkload workload = new KeyValueWorkload(aeron, clientEndpoints, clients, options.conflict,
            options.reads, options.valueBytes, options.seed, options.timeout.toNanos(), null))
        {
            workload.awaitConnected(TimeUnit.SECONDS.toNanos(30), idle);
            if (options.rate > 0)
            {
                out.printf("workload: open loop at %,d commands/s (at most %d in flight), conflict %.1f%%, " +
                    "reads %.0f%%, %d-byte values%n", options.rate, clients, 100 * options.conflict,
                    100 * options.reads, options.valueBytes);
            }
            else
            {
                out.printf("workload: %d closed-loop clients, conflict %.1f%%, reads %.0f%%, %d-byte values%n",
                    clients, 100 * options.conflict, 100 * options.reads, options.valueBytes);
            }
            out.printf("warming up for %s%n", pretty(options.warmup));
            out.flush();
            run(workload, options, options.warmup, idle, null);

            workload.latencyNs().reset();
            final long completedBefore = workload.completed();
            final long timeoutsBefore = workload.timeouts();
            final long fastBefore = sum(ReplicaCounter.FAST_PATH);
            final long slowBefore = sum(ReplicaCounter.SLOW_PATH);
            final long gcCountBefore = gcCount();
            final long gcTimeBefore = gcTimeMs();
            out.printf("measuring for %s%n", pretty(duration));
            out.flush();
            final long startNs = System.nanoTime();
            run(workload, options, duration, idle, (second, thisSecond, total, maxLatencyNs) ->
            {
                out.printf("  [%3ds] %,10d commands/s  max latency %s%n", second, thisSecond, micros(maxLatencyNs));
                out.flush();
            });
            final double seconds = (System.nanoTime() - startNs) / 1e9;
            final long completed = workload.completed() - completedBefore;
            final Histogram latency = workload.latencyNs();
            final long fast = sum(ReplicaCounter.FAST_PATH) - fastBefore;
            final long slow = sum(ReplicaCounter.SLOW_PATH) - slowBefore;

            out.println("summary:");
            out.printf("  commands    %,d in %.1f s = %,.0f commands/s%n", completed, seconds, completed / seconds);
            out.printf("  latency     p50 %s  p99 %s  p99.9 %s  max %s%n",
                micros(latency.getValueAtPercentile(50)), micros(latency.getValueAtPercentile(99)),
                micros(latency.getValueAtPercentile(99.9)), micros(latency.getMaxValue()));
            if (fast + slow > 0)
            {
                out.printf("  fast path   %.1f%% of %,d instances (%,.1f commands per instance)%n",
                    100.0 * fast / (fast + slow), fast + slow, (double)completed / (fast + slow));
            }
            else
            {
                out.println("  fast path   n/a (replica counters not readable from here: see --counters-dir)");
            }
            out.printf("  timeouts    %,d%n", workload.timeouts() - timeoutsBefore);
            out.printf("  gc          %d collections, %d ms in this JVM while measuring%n",
                gcCount() - gcCountBefore, gcTimeMs() - gcTimeBefore);
            out.flush();
            return completed > 0 ? 0 : 1;
        }
    }

    private static void run(
        final KeyValueWorkload workload, final WorkloadOptions options, final Duration duration,
        final IdleStrategy idle, final KeyValueWorkload.ProgressListener progress)
    {
        final long drainNs = TimeUnit.SECONDS.toNanos(5);
        if (options.rate > 0)
        {
            workload.runAtRate(options.rate, duration.toNanos(), drainNs, idle, progress);
        }
        else
        {
            workload.run(Long.MAX_VALUE, duration.toNanos(), drainNs, idle, progress);
        }
    }

    private long sum(final ReplicaCounter counter)
    {
        long sum = 0;
        for (final CountersReader reader : replicaCounters)
        {
            for (int id = 0; id < replicas; id++)
            {
                sum += Math.max(0, ReplicaCounters.read(reader, id, counter));
            }
        }
        return sum;
    }

    private static String micros(final long nanos)
    {
        return nanos >= 10_000_000 ? String.format("%.1f ms", nanos / 1e6) : String.format("%d µs", nanos / 1000);
    }

    private static String pretty(final Duration duration)
    {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    static long gcCount()
    {
        long count = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            count += Math.max(0, gc.getCollectionCount());
        }
        return count;
    }

    static long gcTimeMs()
    {
        long time = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            time += Math.max(0, gc.getCollectionTime());
        }
        return time;
    }
}
