package io.roundtable.tools;

import io.aeron.Aeron;
import io.roundtable.runtime.ReplicaCounter;
import io.roundtable.runtime.ReplicaCounters;
import io.roundtable.workload.KeyValueWorkload;
import org.HdrHistogram.Histogram;
import org.agrona.CloseHelper;
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
        final int threads = options.loadThreads;
        final KeyValueWorkload[] workloads = new KeyValueWorkload[threads];
        try
        {
            for (int t = 0; t < threads; t++)
            {
                final int share = clients / threads + (t < clients % threads ? 1 : 0);
                workloads[t] = options.shape(new KeyValueWorkload(aeron, clientEndpoints, share, options.conflict,
                    options.reads, options.valueBytes, options.seed + t, options.timeout.toNanos(), null, t));
                workloads[t].awaitConnected(TimeUnit.SECONDS.toNanos(30), idle);
            }
            if (options.rate > 0)
            {
                out.printf("workload: open loop at %,d commands/s (at most %d in flight), %s, reads %.0f%%, " +
                    "%d-byte values, %d key(s) per command, %d load thread(s)%n", options.rate, clients,
                    options.keyModel(), 100 * options.reads, options.valueBytes, options.keysPerCommand, threads);
            }
            else
            {
                out.printf("workload: %d closed-loop clients, %s, reads %.0f%%, %d-byte values, %d key(s) per " +
                    "command, %d load thread(s)%n", clients, options.keyModel(), 100 * options.reads,
                    options.valueBytes, options.keysPerCommand, threads);
            }
            out.printf("warming up for %s%n", pretty(options.warmup));
            out.flush();
            runAll(workloads, options, options.warmup, false);

            long completedBefore = 0;
            long timeoutsBefore = 0;
            for (final KeyValueWorkload workload : workloads)
            {
                workload.latencyNs().reset();
                completedBefore += workload.completed();
                timeoutsBefore += workload.timeouts();
            }
            final long fastBefore = sum(ReplicaCounter.FAST_PATH);
            final long slowBefore = sum(ReplicaCounter.SLOW_PATH);
            final long gcCountBefore = gcCount();
            final long gcTimeBefore = gcTimeMs();
            out.printf("measuring for %s%n", pretty(duration));
            out.flush();
            final long startNs = System.nanoTime();
            runAll(workloads, options, duration, true);
            final double seconds = (System.nanoTime() - startNs) / 1e9;

            final Histogram latency = new Histogram(3_600_000_000_000L, 3);
            long completed = -completedBefore;
            long timeouts = -timeoutsBefore;
            for (final KeyValueWorkload workload : workloads)
            {
                latency.add(workload.latencyNs());
                completed += workload.completed();
                timeouts += workload.timeouts();
            }
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
            out.printf("  timeouts    %,d%n", timeouts);
            out.printf("  gc          %d collections, %d ms in this JVM while measuring%n",
                gcCount() - gcCountBefore, gcTimeMs() - gcTimeBefore);
            out.flush();
            return completed > 0 ? 0 : 1;
        }
        finally
        {
            CloseHelper.closeAll(workloads);
        }
    }

    /**
     * Runs every workload on its own thread for {@code duration} (then drains), this thread printing a progress line
     * a second if asked.
     */
    private void runAll(
        final KeyValueWorkload[] workloads, final WorkloadOptions options, final Duration duration,
        final boolean progress)
    {
        final Thread[] threads = new Thread[workloads.length];
        final long rate = options.rate;
        for (int t = 0; t < workloads.length; t++)
        {
            final KeyValueWorkload workload = workloads[t];
            final long share = rate / workloads.length + (t < rate % workloads.length ? 1 : 0);
            threads[t] = new Thread(() ->
            {
                final IdleStrategy idle = new BackoffIdleStrategy();
                final long drainNs = TimeUnit.SECONDS.toNanos(5);
                if (rate > 0)
                {
                    workload.runAtRate(share, duration.toNanos(), drainNs, idle, null);
                }
                else
                {
                    workload.run(Long.MAX_VALUE, duration.toNanos(), drainNs, idle, null);
                }
            }, "roundtable-load-" + t);
            threads[t].start();
        }
        final long startNs = System.nanoTime();
        long lastCompleted = completedSoFar(workloads);
        for (final KeyValueWorkload workload : workloads)
        {
            workload.takeMaxLatencyNs();
        }
        long second = 0;
        for (final Thread thread : threads)
        {
            while (thread.isAlive())
            {
                try
                {
                    thread.join(10);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while the load ran", ex);
                }
                if (progress && System.nanoTime() - startNs >= (second + 1) * 1_000_000_000L &&
                    second + 1 < duration.toSeconds())
                {
                    second++;
                    final long completed = completedSoFar(workloads);
                    long maxLatencyNs = 0;
                    for (final KeyValueWorkload workload : workloads)
                    {
                        maxLatencyNs = Math.max(maxLatencyNs, workload.takeMaxLatencyNs());
                    }
                    out.printf("  [%3ds] %,10d commands/s  max latency %s%n", second, completed - lastCompleted,
                        micros(maxLatencyNs));
                    out.flush();
                    lastCompleted = completed;
                }
            }
        }
    }

    private static long completedSoFar(final KeyValueWorkload[] workloads)
    {
        long completed = 0;
        for (final KeyValueWorkload workload : workloads)
        {
            completed += workload.completedSoFar();
        }
        return completed;
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
