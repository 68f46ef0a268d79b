package io.roundtable.tools;

import io.roundtable.driver.LoopbackPorts;
import io.roundtable.config.ClusterTopology;
import io.roundtable.config.ProtocolName;
import io.roundtable.runtime.LocalCluster;
import io.roundtable.runtime.ReplicaCounter;
import io.roundtable.statemachine.KeyValueStateMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI as a user meets it: the main job's output, and what a mistake in an option or a topology file says. */
class CommandLineTest
{
    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        final CommandLine commandLine = RoundtableCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private void assertError(final String expected, final String... args)
    {
        assertEquals(2, run(args), () -> "exit code; out: " + out + " err: " + err);
        assertTrue(err.toString().contains(expected), () -> "expected '" + expected + "' in: " + err);
    }

    @Test
    void clusterRunsTheWorkloadOverUdpAndSummarises()
    {
        final int exitCode = run("cluster", "--replicas", "3", "--duration", "2s", "--warmup", "1s",
            "--base-port", String.valueOf(LoopbackPorts.baseOfFreeRun(6)), "--journal-dir", temp.toString());
        final String output = out.toString();
        assertEquals(0, exitCode, () -> output + err);
        assertTrue(output.contains("3 epaxos replicas over Aeron UDP"), output);
        assertTrue(output.matches("(?s).*commands +[0-9,]+ in [0-9.]+ s = [0-9,]+ commands/s.*"), output);
        assertTrue(output.matches("(?s).*latency +p50 .* p99 .* p99\\.9 .* max .*"), output);
        assertTrue(output.matches("(?s).*fast path +[0-9.]+% of .*"), output);
        assertTrue(output.contains("commands executed"), output);
        assertTrue(Files.exists(temp.resolve("cluster.properties")), "the topology is written for 'load'");
    }

    @Test
    void statPrintsTheCountersOfRunningReplicas()
    {
        final ClusterTopology topology = ClusterTopology.localhost(
            ProtocolName.EPAXOS, 3, LoopbackPorts.baseOfFreeRun(6), temp);
        try (LocalCluster cluster = LocalCluster.launch(topology, (id) -> new KeyValueStateMachine()))
        {
            cluster.awaitConnected(Duration.ofSeconds(20));
            assertEquals(0, run("stat", "--aeron-dir", cluster.aeronDirectoryName()), () -> out + " " + err);
        }
        final String output = out.toString();
        assertTrue(output.contains("replicas [0, 1, 2]"), output);
        for (final ReplicaCounter counter : ReplicaCounter.values())
        {
            assertTrue(output.contains(counter.description()), () -> counter + " missing from " + output);
        }
        assertEquals(1, run("stat", "--aeron-dir", temp.resolve("no-driver-here").toString()));
        assertTrue(out.toString().contains("no running media driver"), out::toString);
    }

    @Test
    void clusterOptionErrorsSayWhatToDo()
    {
        assertError("--replicas must be odd and between 3 and 15 (N = 2F+1), got 4", "cluster", "--replicas", "4");
        assertError("unknown protocol 'raft': use one of epaxos, atlas, tempo, paxos", "cluster", "--protocol", "raft");
        assertError("'5x' is not a duration: write e.g. 500ms, 20s, 2m or 1h", "cluster", "--duration", "5x");
        assertError("'0s' must be a positive duration", "cluster", "--warmup", "0s");
        assertError("--conflict and --reads are fractions in [0, 1]", "cluster", "--conflict", "2");
        assertError("unknown idle strategy 'spinny'", "cluster", "--idle", "spinny");
        assertError("mtuLength 1000 is not a multiple of 32: use 992", "cluster", "--mtu", "1000",
            "--base-port", "0", "--journal-dir", temp.toString());
    }

    @Test
    void unknownProtocolIsRefusedBeforeAnythingStarts()
    {
        assertError("unknown protocol 'raft': use one of epaxos, atlas, tempo, paxos", "cluster", "--protocol", "raft",
            "--base-port", String.valueOf(LoopbackPorts.baseOfFreeRun(6)), "--journal-dir", temp.toString(),
            "--duration", "1s");
    }

    @Test
    void topologyFileErrorsNameFileAndLine() throws IOException
    {
        final Path file = temp.resolve("cluster.properties");
        Files.writeString(file, "protocol=epaxos\nreplicas=3\nreplcas=3\n");
        assertError(file + ":3: unknown key 'replcas'", "replica", "--topology", file.toString(), "--id", "0");
        assertError("cannot read topology file", "replica", "--topology", temp.resolve("missing").toString(),
            "--id", "0");

        Files.writeString(file, "protocol=epaxos\nreplicas=3\nreplica.0=127.0.0.1:1\nreplica.1=127.0.0.1:3\n" +
            "replica.2=127.0.0.1:5\n");
        assertError("--id 3 is not a replica of " + file + ": ids run from 0 to 2",
            "replica", "--topology", file.toString(), "--id", "3");
    }

    @Test
    void topologiesTheProtocolCannotRunAreRefused() throws IOException
    {
        final Path file = temp.resolve("cluster.properties");
        final int base = LoopbackPorts.baseOfFreeRun(8);
        final String replicas = "replica.0=127.0.0.1:" + base + "\nreplica.1=127.0.0.1:" + (base + 2) +
            "\nreplica.2=127.0.0.1:" + (base + 4) + "\n";
        Files.writeString(file, "protocol=epaxos\nreplicas=4\nfaults=1\njournal.dir=" + temp + "\n" + replicas +
            "replica.3=127.0.0.1:" + (base + 6) + "\n");
        assertError("epaxos needs an odd number of replicas, at least 3 (N = 2F+1), but replicas=4: use 3 or 5",
            "cluster", "--topology", file.toString(), "--duration", "1s");
        Files.writeString(file, "protocol=epaxos\nreplicas=3\nfaults=0\njournal.dir=" + temp + "\n" + replicas);
        assertError("epaxos with 3 replicas tolerates F = 1 failures, but faults=0: remove the faults line or set " +
            "faults=1", "replica", "--topology", file.toString(), "--id", "0");
    }

    @Test
    void protocolOnTheCommandLineWinsOverTheTopologyFileAndMustMatchTheJournals() throws IOException
    {
        final Path file = temp.resolve("cluster.properties");
        final int base = LoopbackPorts.baseOfFreeRun(6);
        Files.writeString(file, "protocol=epaxos\nreplicas=3\njournal.dir=" + temp.resolve("journals") + "\n" +
            "replica.0=127.0.0.1:" + base + "\nreplica.1=127.0.0.1:" + (base + 2) + "\nreplica.2=127.0.0.1:" +
            (base + 4) + "\n");

        assertEquals(0, run("cluster", "--topology", file.toString(), "--protocol", "tempo", "--duration", "1s",
            "--warmup", "1s"), () -> out + " " + err);
        assertTrue(out.toString().contains("3 tempo replicas over Aeron UDP"), out::toString);
        assertTrue(out.toString().matches("(?s).*commands +[1-9][0-9,]* in .*"), out::toString);

        final String replica1 = temp.resolve("journals").resolve("replica-1").toString();
        assertError("the journal of replica 0 in " + temp.resolve("journals").resolve("replica-0") + " was written " +
            "by tempo, not epaxos: resume it with --protocol tempo, or move " + temp.resolve("journals") +
            " away to start a new epaxos cluster", "cluster", "--topology", file.toString(), "--duration", "1s");
        assertError("the journal of replica 1 in " + replica1 + " was written by tempo, not epaxos",
            "replica", "--topology", file.toString(), "--id", "1");
        assertError("the journal of replica 1 in " + replica1 + " was written by tempo, not atlas",
            "replica", "--topology", file.toString(), "--id", "1", "--protocol", "ATLAS");
        assertError("unknown protocol 'raft': use one of epaxos, atlas, tempo, paxos",
            "replica", "--topology", file.toString(), "--id", "1", "--protocol", "raft");
    }

    @Test
    void loadNeedsToKnowTheCluster()
    {
        assertError("give the cluster either as --topology <file> or as --endpoints", "load");
        assertError("port of endpoint 'localhost:99999' must be in [0, 65535]", "load", "--endpoints",
            "localhost:99999");
    }
}
