package io.roundtable.bench.cluster;

import io.roundtable.bench.report.RunResult;
import io.roundtable.bench.report.SiteResult;
import io.roundtable.config.ClusterTopology;
import io.roundtable.driver.LoopbackPorts;
import io.roundtable.latency.LatencyMatrix;
import io.roundtable.protocol.ProtocolFactory;
import io.roundtable.runtime.LocalCluster;
import io.roundtable.runtime.ReplicaCounter;
import io.roundtable.statemachine.KeyValueStateMachine;
import io.roundtable.workload.KeyValueWorkload;
import io.roundtable.workload.LatencyTimeline;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Measures one {@link RunSpec} on the real runtime: a {@link LocalCluster} (every replica on its own thread, one
 * embedded SHARED driver, Aeron UDP on loopback, Chronicle journals in a temporary folder), the WAN emulated in the
 * transport when the spec names regions, and the key-value workload from this thread. Latency is submit to answer,
 * per site; in open loop from the scheduled send time.
 */
public final class ClusterRun
{
    private static final long DRAIN_NS = TimeUnit.SECONDS.toNanos(5);
    private static final long TIMELINE_BUCKET_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final PrintWriter log;

    public ClusterRun(final PrintWriter log)
    {
        this.log = log;
    }

    /** Runs {@code spec} once; {@code disturbance}, if not null, acts on the cluster during the measured window. */
    public RunResult run(final RunSpec spec, final ClusterDisturbance disturbance)
    {
        final Path journals = TemporaryFolders.create("roundtable-bench-");
        try
        {
            return run(spec, disturbance, journals);
        }
        finally
        {
            TemporaryFolders.deleteRecursively(journals);
        }
    }

    private RunResult run(final RunSpec spec, final ClusterDisturbance disturbance, final Path journals)
    {
        final LatencyMatrix latency = null == spec.regions() ? null :
            LatencyMatrix.bundled(spec.latencyData(), spec.regions());
        // f as the simulator and the papers use it: Atlas and Tempo at f = 1, EPaxos and Paxos at ⌊(N-1)/2⌋
        ClusterTopology topology = ClusterTopology.localhost(
            spec.protocol(), spec.replicas(), LoopbackPorts.baseOfFreeRun(2 * spec.replicas()), journals)
            .withFaults(ProtocolFactory.of(spec.protocol()).defaultFaults(spec.replicas()));
        if (null != latency)
        {
            topology = topology.withEmulatedDelaysNs(latency.oneWayNsMatrix()).withPhaseTimeoutMs(1000);
        }
        if (null != disturbance)
        {
            topology = disturbance.shape(topology);
        }
        final IdleStrategy idle = new BackoffIdleStrategy();
        final ReplicaThreads replicaThreads = new ReplicaThreads();
        try (LocalCluster cluster = LocalCluster.launch(topology, (id) -> new KeyValueStateMachine());
            KeyValueWorkload workload = new KeyValueWorkload(cluster.aeron(), topology.clientEndpoints(),
                spec.clientsPerSite() * spec.replicas(), spec.conflictRate(), spec.readRatio(), spec.valueBytes(),
                spec.seed(), TimeUnit.SECONDS.toNanos(5), null))
        {
            cluster.awaitConnected(Duration.ofSeconds(30));
            workload.awaitConnected(TimeUnit.SECONDS.toNanos(30), idle);
            log.printf("  %s: warming up %d s%n", spec.label(), spec.warmup().toSeconds());
            log.flush();
            drive(workload, spec, spec.warmup(), idle, null);

            final CounterWatch counters = new CounterWatch(cluster.aeron().countersReader(), spec.replicas());
            final long fastBefore = counters.total(ReplicaCounter.FAST_PATH);
            final long slowBefore = counters.total(ReplicaCounter.SLOW_PATH);
            final long recoveriesBefore = counters.total(ReplicaCounter.RECOVERIES);
            final long committedBefore = counters.total(ReplicaCounter.INSTANCES_COMMITTED);
            final long dependenciesBefore = counters.total(ReplicaCounter.DEPENDENCIES);
            final long waitsBefore = counters.total(ReplicaCounter.STABILITY_WAITS);
            final long waitNsBefore = counters.total(ReplicaCounter.STABILITY_WAIT_NS);
            final LatencyTimeline timeline = new LatencyTimeline(TIMELINE_BUCKET_NS,
                (int)(spec.measured().toNanos() / TIMELINE_BUCKET_NS) + 1);
            workload.timeline(timeline);
            final List<Long> messagesPerSecond = new ArrayList<>();
            final long[] messagesAtLastSecond = {counters.total(ReplicaCounter.MESSAGES_OUT)};
            final GcWatch gc = new GcWatch();
            replicaThreads.startMeasuring();
            workload.resetLatencies();
            final long completedBefore = workload.completed();
            final long startNs = System.nanoTime();
            timeline.start(startNs);
            final List<Long> perSecond = new ArrayList<>();
            if (null != disturbance)
            {
                disturbance.start(cluster, log);
            }
            drive(workload, spec, spec.measured(), idle,
                (second, completedThisSecond, completedTotal, maxLatencyNs) ->
                {
                    perSecond.add(completedThisSecond);
                    counters.sample();
                    final long messages = counters.total(ReplicaCounter.MESSAGES_OUT);
                    messagesPerSecond.add(messages - messagesAtLastSecond[0]);
                    messagesAtLastSecond[0] = messages;
                    if (null != disturbance)
                    {
                        disturbance.onSecond(cluster, second + 1, log);
                    }
                });
            final double seconds = (System.nanoTime() - startNs) / 1e9;
            final long commands = workload.completed() - completedBefore;
            counters.sample();
            final long fast = counters.total(ReplicaCounter.FAST_PATH) - fastBefore;
            final long slow = counters.total(ReplicaCounter.SLOW_PATH) - slowBefore;
            final long allocated = replicaThreads.allocatedBytesSinceStart();

            final List<SiteResult> sites = new ArrayList<>();
            final int faults = topology.faults();
            for (int id = 0; id < spec.replicas(); id++)
            {
                final Histogram site = workload.siteLatencyNs(id).copy();
                sites.add(new SiteResult(spec.site(id), site,
                    null == latency ? Double.NaN : QuorumOptimum.optimumMs(spec.protocol(), latency, faults, id)));
            }
            final RunResult result = new RunResult(spec.label(), spec.protocol().configName(), spec.replicas(),
                spec.conflictRate(), spec.offeredRate(), seconds, commands,
                fast + slow > 0 ? (double)fast / (fast + slow) : Double.NaN,
                counters.total(ReplicaCounter.RECOVERIES) - recoveriesBefore,
                RunFigures.dependenciesPerInstance(spec.protocol(),
                    counters.total(ReplicaCounter.DEPENDENCIES) - dependenciesBefore,
                    counters.total(ReplicaCounter.INSTANCES_COMMITTED) - committedBefore),
                RunFigures.stabilityWaitMs(spec.protocol(),
                    counters.total(ReplicaCounter.STABILITY_WAIT_NS) - waitNsBefore,
                    counters.total(ReplicaCounter.STABILITY_WAITS) - waitsBefore),
                gc.collections(), gc.pauseMs(),
                allocated < 0 || commands == 0 ? Double.NaN : (double)allocated / commands,
                perSecond.stream().mapToLong(Long::longValue).toArray(), sites,
                TimelineFigures.of(timeline, perSecond, messagesPerSecond, disturbance));
            workload.timeline(null);
            log.printf("  %s: %,.0f commands/s, p50 %.2f ms, p99 %.2f ms, fast path %.1f%%, %d GC%n", spec.label(),
                result.commandsPerSecond(), workload.latencyNs().getValueAtPercentile(50) / 1e6,
                workload.latencyNs().getValueAtPercentile(99) / 1e6, 100 * result.fastPathRatio(), gc.collections());
            log.flush();
            return result;
        }
    }

    private static void drive(final KeyValueWorkload workload, final RunSpec spec, final Duration duration,
        final IdleStrategy idle, final KeyValueWorkload.ProgressListener progress)
    {
        if (spec.offeredRate() > 0)
        {
            workload.runAtRate(spec.offeredRate(), duration.toNanos(), DRAIN_NS, idle, progress);
        }
        else
        {
            workload.run(Long.MAX_VALUE, duration.toNanos(), DRAIN_NS, idle, progress);
        }
    }
}
