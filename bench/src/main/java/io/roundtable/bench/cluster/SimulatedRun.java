package io.roundtable.bench.cluster;

import io.roundtable.bench.report.RunResult;
import io.roundtable.bench.report.SiteResult;
import io.roundtable.latency.LatencyMatrix;
import io.roundtable.protocol.ProtocolCounters;
import io.roundtable.protocol.ProtocolFactory;
import io.roundtable.sim.Simulation;
import io.roundtable.sim.SimulationConfig;
import io.roundtable.sim.SimulationResult;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures one {@link RunSpec} in the deterministic simulator: the same protocol cores, a virtual clock and the
 * regions' latency matrix, so large N and many clients cost seconds. Time is simulated: commands/s is per simulated
 * second, and there is no GC or allocation figure to report. The checkers run too; a violation fails the run.
 */
public final class SimulatedRun
{
    private final PrintWriter log;
    private final int commandsPerClient;

    public SimulatedRun(final PrintWriter log, final int commandsPerClient)
    {
        this.log = log;
        this.commandsPerClient = commandsPerClient;
    }

    public RunResult run(final RunSpec spec)
    {
        final ProtocolFactory factory = ProtocolFactory.of(spec.protocol());
        final int faults = factory.defaultFaults(spec.replicas());
        final SimulationConfig config = new SimulationConfig()
            .seed(spec.seed())
            .replicas(spec.replicas())
            .toleratedFaults(faults)
            .clientsPerReplica(spec.clientsPerSite())
            .commandsPerClient(commandsPerClient)
            .conflictRate(spec.conflictRate())
            .readRatio(spec.readRatio())
            .phaseTimeoutNs(1_000_000_000L);
        final LatencyMatrix latency = null == spec.regions() ? null :
            LatencyMatrix.bundled(spec.latencyData(), spec.regions());
        if (null != latency)
        {
            config.latency(latency);
        }
        final SimulationResult result = new Simulation(config, factory).run();
        if (!result.ok())
        {
            throw new IllegalStateException(spec.label() + ": the simulator's checkers failed (seed " + spec.seed() +
                "): " + result.violations());
        }
        final List<SiteResult> sites = new ArrayList<>();
        for (int id = 0; id < spec.replicas(); id++)
        {
            sites.add(new SiteResult(spec.site(id), result.latency(id).copy(),
                null == latency ? Double.NaN : QuorumOptimum.optimumMs(spec.protocol(), latency, faults, id)));
        }
        final RunResult run = new RunResult(spec.label(), spec.protocol().configName(), spec.replicas(),
            spec.conflictRate(), 0, result.simulatedNs() / 1e9, result.commandsCompleted(), result.fastPathRatio(),
            result.counters().recoveries, dependenciesPerInstance(spec, result.counters()),
            stabilityWaitMs(spec, result.counters()), 0, 0, Double.NaN, new long[0], sites, null);
        log.printf("  %s (simulated): %,d commands, fast path %.1f%%, %s%n", spec.label(), run.commands(),
            100 * run.fastPathRatio(), medians(sites));
        log.flush();
        return run;
    }

    private static double dependenciesPerInstance(final RunSpec spec, final ProtocolCounters counters)
    {
        return RunFigures.dependenciesPerInstance(spec.protocol(), counters.dependencies, counters.committed);
    }

    private static double stabilityWaitMs(final RunSpec spec, final ProtocolCounters counters)
    {
        return RunFigures.stabilityWaitMs(spec.protocol(), counters.stabilityWaitNs, counters.stabilityWaits);
    }

    private static String medians(final List<SiteResult> sites)
    {
        final StringBuilder text = new StringBuilder("p50 by site:");
        for (final SiteResult site : sites)
        {
            text.append(String.format(" %s %.1f ms", site.site(), site.latencyNs().getValueAtPercentile(50) / 1e6));
        }
        return text.toString();
    }
}
