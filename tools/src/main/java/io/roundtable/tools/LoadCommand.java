package io.roundtable.tools;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.roundtable.config.ClusterTopology;
import io.roundtable.config.TopologyFile;
import io.roundtable.driver.Channels;
import io.roundtable.driver.MediaDriverPresets;
import org.agrona.CloseHelper;
import org.agrona.concurrent.status.CountersReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** The closed-loop key-value workload against a running cluster, from a separate process. */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description = {
        "Runs closed-loop key-value clients against a running cluster (from --topology or",
        "--endpoints), spread over every replica, printing commands/s each second and then a",
        "summary: throughput, latency p50/p99/p99.9/max, fast-path ratio, timeouts and GC."})
public final class LoadCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--topology", description = "The cluster's topology file (client endpoints are read from it).")
    private Path topologyFile;

    @Option(names = "--endpoints", split = ",", description = "Client endpoints host:port of the replicas, by id (instead of --topology).")
    private List<String> endpoints;

    @Option(names = "--duration", defaultValue = "10s", converter = DurationConverter.class,
        description = "How long to measure (default: ${DEFAULT-VALUE}).")
    private Duration duration;

    @Option(names = "--counters-dir", description = "Aeron directories of the replicas' drivers, to read the fast-path counters (repeatable).")
    private List<String> countersDirs = new ArrayList<>();

    @Mixin
    private WorkloadOptions workload;

    public Integer call()
    {
        final String[] clientEndpoints = clientEndpoints();
        workload.validate(spec, clientEndpoints.length);
        MediaDriver driver = null;
        Aeron aeron = null;
        final List<Aeron> counterClients = new ArrayList<>();
        try
        {
            driver = MediaDriver.launchEmbedded(MediaDriverPresets.shared().build());
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
            final List<CountersReader> readers = new ArrayList<>();
            for (final String dir : countersDirs)
            {
                final Aeron client = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir));
                counterClients.add(client);
                readers.add(client.countersReader());
            }
            return new LoadDriver(spec.commandLine().getOut(), readers, clientEndpoints.length)
                .run(aeron, clientEndpoints, workload, duration);
        }
        finally
        {
            CloseHelper.closeAll(counterClients);
            CloseHelper.closeAll(aeron, driver);
        }
    }

    private String[] clientEndpoints()
    {
        if ((null == topologyFile) == (null == endpoints))
        {
            throw new ParameterException(spec.commandLine(), "give the cluster either as --topology <file> or as " +
                "--endpoints host:port,host:port,... (its replicas' client endpoints)");
        }
        if (null != topologyFile)
        {
            final ClusterTopology topology = TopologyFile.parse(topologyFile);
            return topology.clientEndpoints();
        }
        for (final String endpoint : endpoints)
        {
            Channels.udp(endpoint);
        }
        return endpoints.toArray(new String[0]);
    }
}
