package io.roundtable.tools;

import io.roundtable.config.ProtocolName;
import io.roundtable.latency.LatencyMatrix;
import io.roundtable.protocol.ProtocolFactory;
import io.roundtable.sim.RandomizedSchedules;
import io.roundtable.sim.Simulation;
import io.roundtable.sim.SimulationConfig;
import io.roundtable.sim.SimulationResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** Runs the deterministic simulator: a replicated key-value workload, checked, summarised. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
        "Runs a simulated cluster on a virtual clock with seeded delays, reordering and duplication",
        "(and, for --faulty suite seeds, loss, partitions and crash/restart from the journal),",
        "then checks agreement, per-key execution order, linearizability and liveness.",
        "Exit code 0 when every check passes, 1 when one fails."})
public final class SimulateCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--protocol", defaultValue = "epaxos", description = "Protocol: epaxos, atlas, tempo or paxos, as far as this build implements them (default: ${DEFAULT-VALUE}).")
    private String protocol;

    @Option(names = "--replicas", defaultValue = "5", description = "Number of replicas, up to 64, as the protocol allows (EPaxos: odd, >= 3) (default: ${DEFAULT-VALUE}).")
    private int replicas;

    @Option(names = "--faults", description = "f, the crashes the protocol is configured to tolerate (default: the protocol's; EPaxos requires (N-1)/2).")
    private Integer faults;

    @Option(names = "--phase-timeout-ms", defaultValue = "200", description = "How long a phase waits for its quorum before it retries or recovers; keep it above the largest round trip of --regions (default: ${DEFAULT-VALUE}).")
    private long phaseTimeoutMs;

    @Option(names = "--clients-per-replica", defaultValue = "4", description = "Closed-loop clients per replica (default: ${DEFAULT-VALUE}).")
    private int clientsPerReplica;

    @Option(names = "--commands", defaultValue = "500", description = "Commands per client (default: ${DEFAULT-VALUE}).")
    private int commandsPerClient;

    @Option(names = "--conflict", defaultValue = "0.02", description = "Probability a command writes a shared hot key, 0..1 (default: ${DEFAULT-VALUE}).")
    private double conflictRate;

    @Option(names = "--reads", defaultValue = "0.3", description = "Fraction of GETs, 0..1 (default: ${DEFAULT-VALUE}).")
    private double readRatio;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the one random generator (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--one-way-ms", defaultValue = "1.0", description = "Uniform one-way delay in ms (default: ${DEFAULT-VALUE}).")
    private double oneWayMs;

    @Option(names = "--regions", split = ",", description = "Place replicas in these regions (one per replica), e.g. us-east-1,us-west-1,eu-west-1,ap-northeast-1,ap-southeast-1.")
    private List<String> regions;

    @Option(names = "--latency-data", defaultValue = LatencyMatrix.AWS, description = "Bundled inter-region ping data for --regions: " + LatencyMatrix.AWS + " (EPaxos and Tempo papers' regions) or " + LatencyMatrix.GCP + " (Atlas paper's) (default: ${DEFAULT-VALUE}).")
    private String latencyData;

    @Option(names = "--latency-dir", description = "Instead of --latency-data: a folder of <region>.dat ping files (lines min/avg/max/mdev:destination in ms).")
    private Path latencyDir;

    @Option(names = "--suite-seed", description = "Replay one seed of the randomized test suite (overrides the workload options).")
    private Long suiteSeed;

    @Option(names = "--faulty", description = "With --suite-seed: the faulty suite's schedule (loss, partitions, crash/restart).")
    private boolean faulty;

    public Integer call()
    {
        final ProtocolFactory factory;
        try
        {
            factory = ProtocolFactory.of(ProtocolName.fromName(protocol));
        }
        catch (final RuntimeException ex)
        {
            throw new ParameterException(spec.commandLine(), "--protocol: " + ex.getMessage());
        }
        if (replicas < 1 || replicas > 64)
        {
            throw new ParameterException(spec.commandLine(), "--replicas must be between 1 and 64, got " + replicas);
        }
        final int f = null != faults ? faults : factory.defaultFaults(replicas);
        try
        {
            factory.checkClusterSize(replicas, f);
        }
        catch (final RuntimeException ex)
        {
            throw new ParameterException(spec.commandLine(), ex.getMessage());
        }
        if (phaseTimeoutMs < 1)
        {
            throw new ParameterException(spec.commandLine(), "--phase-timeout-ms must be at least 1, got " +
                phaseTimeoutMs);
        }
        if (conflictRate < 0 || conflictRate > 1 || readRatio < 0 || readRatio > 1)
        {
            throw new ParameterException(spec.commandLine(), "--conflict and --reads are probabilities in [0, 1]");
        }
        if (clientsPerReplica < 1 || commandsPerClient < 1)
        {
            throw new ParameterException(spec.commandLine(), "--clients-per-replica and --commands must be at least 1");
        }

        if (faulty && suiteSeed == null)
        {
            throw new ParameterException(spec.commandLine(), "--faulty replays a suite seed: add --suite-seed N");
        }
        final SimulationConfig config;
        if (suiteSeed != null)
        {
            config = faulty ? RandomizedSchedules.faultyConfig(suiteSeed, replicas) :
                RandomizedSchedules.config(suiteSeed, replicas);
        }
        else
        {
            config = new SimulationConfig()
                .seed(seed)
                .replicas(replicas)
                .clientsPerReplica(clientsPerReplica)
                .commandsPerClient(commandsPerClient)
                .conflictRate(conflictRate)
                .readRatio(readRatio)
                .toleratedFaults(f)
                .phaseTimeoutNs(phaseTimeoutMs * 1_000_000L)
                .uniformOneWayNs(Math.round(oneWayMs * 1_000_000))
                .maxJitterNs(Math.round(oneWayMs * 500_000));
            if (regions != null)
            {
                if (regions.size() != replicas)
                {
                    throw new ParameterException(spec.commandLine(), "--regions names " + regions.size() +
                        " regions for " + replicas + " replicas: give one region per replica");
                }
                if (null != latencyDir)
                {
                    if (!Files.isDirectory(latencyDir))
                    {
                        throw new ParameterException(spec.commandLine(), "--latency-dir " + latencyDir +
                            " is not a folder of <region>.dat ping files; leave it out to use --latency-data");
                    }
                    config.latency(LatencyMatrix.fromPingData(latencyDir, regions));
                }
                else
                {
                    try
                    {
                        config.latency(LatencyMatrix.bundled(latencyData, regions));
                    }
                    catch (final IllegalArgumentException ex)
                    {
                        throw new ParameterException(spec.commandLine(), ex.getMessage());
                    }
                }
            }
        }

        final SimulationResult result = new Simulation(config, factory).run();
        final java.io.PrintWriter out = spec.commandLine().getOut();
        out.println("Roundtable simulated " + ProtocolName.fromName(protocol).configName() + " cluster, f = " + f);
        out.println(result);
        out.println(result.latencyTable());
        out.printf("  throughput %.0f commands per simulated second%n",
            result.commandsCompleted() / Math.max(1e-9, result.simulatedNs() / 1e9));
        out.println(result.ok() ? "  all checks passed" : "  CHECKS FAILED");
        out.flush();
        return result.ok() ? 0 : 1;
    }
}
