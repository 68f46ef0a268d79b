package io.roundtable.tools;

import io.aeron.Aeron;
import io.aeron.RethrowingErrorHandler;
import io.aeron.driver.MediaDriver;
import io.roundtable.config.ClusterTopology;
import io.roundtable.config.TopologyFile;
import io.roundtable.driver.MediaDriverPresets;
import io.roundtable.runtime.ReplicaNode;
import io.roundtable.statemachine.KeyValueStateMachine;
import org.agrona.CloseHelper;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** One replica of a topology in this process, with its own embedded media driver, until SIGINT/SIGTERM. */
@Command(
    name = "replica",
    mixinStandardHelpOptions = true,
    description = {
        "Starts replica --id of the cluster described by --topology, with the key-value state",
        "machine, its own embedded SHARED media driver, and its journal in journal.dir/replica-<id>.",
        "A journal left by an earlier run is replayed first, so a killed replica resumes where it",
        "stopped (refused if another protocol wrote it). Runs until SIGINT or SIGTERM."})
public final class ReplicaCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--topology", required = true, description = "The cluster's topology file.")
    private Path topologyFile;

    @Mixin
    private ProtocolOption protocol;

    @Option(names = "--id", required = true, description = "This replica's id in the topology.")
    private int id;

    @Option(names = "--aeron-dir",
        description = "The media driver's directory (default: /dev/shm/roundtable-replica-<id>); 'roundtable stat' reads it.")
    private String aeronDir;

    @Option(names = "--mtu", defaultValue = "1408",
        description = "MTU of the embedded driver: 1408 fits an Ethernet frame; larger only where every hop carries it, e.g. loopback (default: ${DEFAULT-VALUE}).")
    private int mtu;

    public Integer call()
    {
        final ClusterTopology topology = protocol.applyTo(TopologyFile.parse(topologyFile));
        if (id < 0 || id >= topology.replicaCount())
        {
            throw new ParameterException(spec.commandLine(), "--id " + id + " is not a replica of " + topologyFile +
                ": ids run from 0 to " + (topology.replicaCount() - 1));
        }
        ProtocolOption.requireJournalOf(topology, id);
        final String directory = null != aeronDir ? aeronDir : "/dev/shm/roundtable-replica-" + id;
        final PrintWriter out = spec.commandLine().getOut();
        MediaDriver driver = null;
        Aeron aeron = null;
        ReplicaNode node = null;
        // Agrona's barrier is AutoCloseable: on SIGINT/SIGTERM its shutdown hook wakes await() and then waits for
        // close(), so the JVM cannot exit before everything below is closed, nor at all if it is never closed.
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier())
        {
            try
            {
                driver = MediaDriver.launch(MediaDriverPresets.shared()
                    .idleStrategy(topology.idleStrategy())
                    .mtuLength(mtu)
                    .aeronDirectoryName(directory)
                    .build()
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(true));
                aeron = Aeron.connect(new Aeron.Context()
                    .aeronDirectoryName(driver.aeronDirectoryName())
                    .subscriberErrorHandler(RethrowingErrorHandler.INSTANCE)); // into the agent's error count
                node = ReplicaNode.start(topology, id, aeron, new KeyValueStateMachine());
                out.printf("replica %d of %d (%s) up: peers on %s, clients on %s, journal %s, aeron dir %s%n",
                    id, topology.replicaCount(), topology.protocol().configName(), topology.peerEndpoint(id),
                    topology.clientEndpoint(id), topology.journalDirectory(id), driver.aeronDirectoryName());
                out.flush();
                barrier.await();
                out.printf("replica %d stopping%n", id);
                out.flush();
                return 0;
            }
            finally
            {
                CloseHelper.closeAll(node, aeron, driver);
            }
        }
    }
}
