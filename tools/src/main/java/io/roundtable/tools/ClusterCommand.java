package io.roundtable.tools;

import io.roundtable.config.ClusterTopology;
import io.roundtable.config.JournalFlush;
import io.roundtable.config.ProtocolName;
import io.roundtable.config.TopologyFile;
import io.roundtable.driver.IdleStrategyChoice;
import io.roundtable.driver.LoopbackPorts;
import io.roundtable.driver.MediaDriverPresets;
import io.roundtable.latency.LatencyMatrix;
import io.roundtable.runtime.LocalCluster;
import io.roundtable.runtime.ReplicaCounter;
import io.roundtable.runtime.ReplicaCounters;
import io.roundtable.statemachine.KeyValueStateMachine;
import org.agrona.CloseHelper;
import org.agrona.concurrent.ShutdownSignalBarrier;
import org.agrona.concurrent.status.CountersReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

/** N replicas in this process on one embedded media driver, talking Aeron UDP on loopback; optionally loaded. */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = {
        "Starts a local cluster: every replica in this process on its own thread, one embedded",
        "SHARED media driver, replicas talking Aeron UDP over loopback, journals on Chronicle Queue.",
        "With --duration it also runs the closed-loop key-value workload against every replica",
        "for that long and prints a summary; without it, it serves until Ctrl-C (point",
        "'roundtable load --topology <journal-dir>/cluster.properties' at it)."})
public final class ClusterCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--replicas", defaultValue = "3", description = "Number of replicas, odd, 3..15 (default: ${DEFAULT-VALUE}).")
    private int replicas;

    @Mixin
    private ProtocolOption protocol;

    @Option(names = "--duration", converter = DurationConverter.class,
        description = "Run the workload this long (e.g. 20s), print the summary and exit. Without it: serve until Ctrl-C.")
    private Duration duration;

    @Option(names = "--base-port", defaultValue = "20100",
        description = "Replica i uses UDP ports base+2i (peers) and base+2i+1 (clients) on 127.0.0.1; 0 picks free ones (default: ${DEFAULT-VALUE}).")
    private int basePort;

    @Option(names = "--journal-dir", description = "Where journals go (default: a new temporary folder, deleted on exit).")
    private Path journalDir;

    @Option(names = "--flush", defaultValue = "none", description = "Journal flush: none | per-batch (default: ${DEFAULT-VALUE}).")
    private String flush;

    @Option(names = "--idle", defaultValue = "backoff",
        description = "Idle strategy of replica and driver threads: busy-spin | yielding | backoff | sleeping (default: ${DEFAULT-VALUE}).")
    private String idle;

    @Option(names = "--one-thread",
        description = "Run every replica on one thread (a composite agent) instead of a thread each: fewer threads than cores on small machines.")
    private boolean oneThread;

    @Option(names = "--mtu", defaultValue = "8192",
        description = "MTU of the embedded driver, a multiple of 32 up to 65504: loopback carries 64 KiB datagrams, so a batch travels unfragmented (default: ${DEFAULT-VALUE}).")
    private int mtu;

    @Option(names = "--regions", split = ",",
        description = "Emulate a WAN: replica i sits in the i-th region, and each message waits half the pair's average round trip (bundled ping data, see --latency-data) before it leaves, e.g. us-east-1,us-west-1,eu-west-1.")
    private List<String> regions;

    @Option(names = "--latency-data", defaultValue = LatencyMatrix.AWS,
        description = "Ping data for --regions: " + LatencyMatrix.AWS + " or " + LatencyMatrix.GCP + " (default: ${DEFAULT-VALUE}).")
    private String latencyData;

    @Option(names = "--phase-timeout-ms",
        description = "How long a replica waits on peers before it retries or recovers (default: 50, or 1000 with --regions, above any WAN round trip).")
    private Long phaseTimeoutMs;

    @Option(names = "--topology",
        description = "Take replicas, ports and settings from this topology file instead (--protocol still wins).")
    private Path topologyFile;

    @Mixin
    private WorkloadOptions workload;

    public Integer call() throws IOException
    {
        final PrintWriter out = spec.commandLine().getOut();
        final boolean temporaryJournals = null == journalDir && null == topologyFile;
        final ClusterTopology topology = topology(temporaryJournals);
        workload.validate(spec, topology.replicaCount());
        for (int id = 0; id < topology.replicaCount(); id++)
        {
            ProtocolOption.requireJournalOf(topology, id);
        }
        out.printf("Roundtable local cluster: %d %s replicas over Aeron UDP on 127.0.0.1, one embedded SHARED " +
            "driver (MTU %d), %s idling, journals in %s (flush %s)%n", topology.replicaCount(),
            topology.protocol().configName(), mtu, topology.idleStrategy().name().toLowerCase(),
            topology.journalDirectory(), topology.journalFlush().name().toLowerCase());
        if (null != regions)
        {
            out.printf("  emulated WAN (%s ping data, phase timeout %d ms): replica i in %s%n", latencyData,
                topology.phaseTimeoutNs() / 1_000_000, String.join(", ", regions));
        }
        // Agrona's barrier is AutoCloseable: on Ctrl-C its shutdown hook wakes await() and then waits for close(),
        // so it is closed last, once the cluster is closed and temporary journals are gone, or the JVM never exits.
        ShutdownSignalBarrier barrier = null;
        MediaDriverPresets.validateMtuLength(mtu, MediaDriverPresets.SHARED_TERM_LENGTH);
        try (LocalCluster cluster = oneThread ?
            LocalCluster.launchOnOneThread(topology, (id) -> new KeyValueStateMachine(), mtu) :
            LocalCluster.launch(topology, (id) -> new KeyValueStateMachine(), mtu))
        {
            cluster.awaitConnected(Duration.ofSeconds(30));
            final Path topologyCopy = topology.journalDirectory().resolve("cluster.properties");
            Files.writeString(topologyCopy, topology.toString());
            for (int id = 0; id < topology.replicaCount(); id++)
            {
                out.printf("  replica %d: peers %s, clients %s%n", id, topology.peerEndpoint(id),
                    topology.clientEndpoint(id));
            }
            out.printf("  aeron dir %s (roundtable stat --aeron-dir %s)%n",
                cluster.aeronDirectoryName(), cluster.aeronDirectoryName());
            out.flush();

            final int exitCode;
            if (null == duration)
            {
                out.printf("serving until Ctrl-C; topology written to %s%n", topologyCopy);
                out.flush();
                barrier = new ShutdownSignalBarrier();
                barrier.await();
                exitCode = 0;
            }
            else
            {
                final LoadDriver driver = new LoadDriver(out,
                    List.of(cluster.aeron().countersReader()), topology.replicaCount());
                exitCode = driver.run(cluster.aeron(), topology.clientEndpoints(), workload, duration);
                printReplicaCounters(out, cluster.aeron().countersReader(), topology.replicaCount());
            }
            return exitCode;
        }
        finally
        {
            try
            {
                if (temporaryJournals)
                {
                    deleteRecursively(topology.journalDirectory());
                }
            }
            finally
            {
                CloseHelper.close(barrier);
            }
        }
    }

    private ClusterTopology topology(final boolean temporaryJournals) throws IOException
    {
        if (null != topologyFile)
        {
            if (null != regions || null != phaseTimeoutMs)
            {
                throw new ParameterException(spec.commandLine(), "--regions and --phase-timeout-ms shape a cluster " +
                    "this command builds: leave them out with --topology (set phase.timeout.ms in the file)");
            }
            return protocol.applyTo(TopologyFile.parse(topologyFile));
        }
        if (replicas < 3 || replicas % 2 == 0 || replicas > ClusterTopology.MAX_REPLICAS)
        {
            throw new ParameterException(spec.commandLine(),
                "--replicas must be odd and between 3 and " + ClusterTopology.MAX_REPLICAS + " (N = 2F+1), got " + replicas);
        }
        final ProtocolName name = protocol.orElse(ProtocolName.EPAXOS); // before a temporary folder is made
        final Path journals = temporaryJournals ? Files.createTempDirectory("roundtable-cluster-") : journalDir;
        final int ports = 0 == basePort ? LoopbackPorts.baseOfFreeRun(2 * replicas) : basePort;
        ClusterTopology topology = ClusterTopology.localhost(name, replicas, ports, journals)
            .withJournalFlush(JournalFlush.fromName(flush))
            .withIdleStrategy(IdleStrategyChoice.fromName(idle));
        if (null != regions)
        {
            if (regions.size() != replicas)
            {
                throw new ParameterException(spec.commandLine(), "--regions names " + regions.size() +
                    " regions for " + replicas + " replicas: give one region per replica");
            }
            try
            {
                topology = topology.withEmulatedDelaysNs(LatencyMatrix.bundled(latencyData, regions).oneWayNsMatrix());
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ParameterException(spec.commandLine(), ex.getMessage());
            }
        }
        final long timeoutMs = null != phaseTimeoutMs ? phaseTimeoutMs :
            null != regions ? 1000 : ClusterTopology.DEFAULT_PHASE_TIMEOUT_MS;
        return topology.withPhaseTimeoutMs(timeoutMs);
    }

    static void printReplicaCounters(final PrintWriter out, final CountersReader counters, final int replicas)
    {
        int labelWidth = 0;
        for (final ReplicaCounter counter : ReplicaCounter.values())
        {
            labelWidth = Math.max(labelWidth, counter.description().length());
        }
        final String label = "  %-" + labelWidth + "s";
        out.println("replica counters:");
        out.printf(label, "");
        for (int id = 0; id < replicas; id++)
        {
            out.printf(" %18s", "replica " + id); // a separating space even when a value fills its column
        }
        out.println();
        for (final ReplicaCounter counter : ReplicaCounter.values())
        {
            out.printf(label, counter.description());
            for (int id = 0; id < replicas; id++)
            {
                out.printf(" %,18d", ReplicaCounters.read(counters, id, counter));
            }
            out.println();
        }
        out.flush();
    }

    private static void deleteRecursively(final Path directory) throws IOException
    {
        if (Files.exists(directory))
        {
            try (var paths = Files.walk(directory))
            {
                paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
            }
        }
    }
}
