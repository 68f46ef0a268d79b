package io.roundtable.tools;

import io.roundtable.codecs.InstanceRecordEncoder;
import io.roundtable.config.ClusterTopology;
import io.roundtable.config.ProtocolName;
import io.roundtable.driver.LoopbackPorts;
import io.roundtable.runtime.LocalCluster;
import io.roundtable.statemachine.KeyValueStateMachine;
import io.roundtable.workload.KeyValueWorkload;
import org.agrona.concurrent.BackoffIdleStrategy;
import io.roundtable.codecs.InstanceStatus;
import io.roundtable.codecs.MessageHeaderEncoder;
import io.roundtable.command.CommandBatchWriter;
import io.roundtable.journal.ChronicleJournal;
import io.roundtable.protocol.Ballot;
import io.roundtable.protocol.Dot;
import io.roundtable.statemachine.KeyValueCommands;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalCommandTest
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

    /** A journal of three committed instances of replica 1 (one PUT of 4 bytes to key 40 + i each). */
    private Path journal()
    {
        final Path dir = temp.resolve("replica-1");
        final ExpandableArrayBuffer record = new ExpandableArrayBuffer(512);
        final ExpandableArrayBuffer batch = new ExpandableArrayBuffer(256);
        final ExpandableArrayBuffer command = new ExpandableArrayBuffer(64);
        final InstanceRecordEncoder encoder = new InstanceRecordEncoder();
        try (ChronicleJournal journal = new ChronicleJournal(dir, ChronicleJournal.FlushPolicy.NONE))
        {
            for (int i = 0; i < 3; i++)
            {
                final int commandLength = new KeyValueCommands().put(command, 0, 40 + i, new byte[4]);
                final CommandBatchWriter writer = new CommandBatchWriter().begin(batch, 0, 1)
                    .add(5, i + 1, true, new long[] {40 + i}, 1, command, 0, commandLength);
                encoder.wrapAndApplyHeader(record, 0, new MessageHeaderEncoder())
                    .dot(Dot.of(1, i + 1))
                    .status(InstanceStatus.COMMITTED)
                    .promisedBallot(Ballot.initial(0, 1))
                    .acceptedBallot(Ballot.initial(0, 1))
                    .seq(i + 1)
                    .fastQuorum(0b11);
                final InstanceRecordEncoder.DepsEncoder deps = encoder.depsCount(i == 0 ? 0 : 1);
                if (i > 0)
                {
                    deps.next().dot(Dot.of(1, i));
                }
                encoder.putCommands(batch, 0, writer.length());
                journal.append(record, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
            }
        }
        return dir;
    }

    @Test
    void printsEveryRecordThenASummary()
    {
        final Path dir = journal();
        assertEquals(0, run("journal", dir.toString()), err.toString());
        final List<String> lines = out.toString().lines().toList();
        assertEquals(4, lines.size(), out.toString());
        assertEquals("#0 InstanceRecord dot=1.1 status=COMMITTED promised=0.0.1 accepted=0.0.1 seq=1 " +
            "fastQuorum=[0, 1] deps=[] commands=1 [c=5 r=1 PUT k=40 (4 B)]", lines.get(0));
        assertTrue(lines.get(2).startsWith("#2 InstanceRecord dot=1.3 "), lines.get(2));
        assertTrue(lines.get(2).contains("deps=[1.2]"), lines.get(2));
        assertTrue(lines.get(3).matches("records: 3, bytes: \\d+, protocol: epaxos"), lines.get(3));
    }

    /**
     * Journals written by real replicas of {@code protocol} over Aeron: 100 commands sent once replica 0 is stopped
     * (Multi-Paxos's first leader: the others elect one and journal its ballot; replica 0's clients fail over).
     */
    private Path journalsOf(final ProtocolName protocol)
    {
        final Path journals = temp.resolve(protocol.configName());
        final ClusterTopology topology = ClusterTopology.localhost(protocol, 3, LoopbackPorts.baseOfFreeRun(6),
            journals);
        final BackoffIdleStrategy idle = new BackoffIdleStrategy();
        try (LocalCluster cluster = LocalCluster.launch(topology, (id) -> new KeyValueStateMachine());
            KeyValueWorkload workload = new KeyValueWorkload(cluster.aeron(), topology.clientEndpoints(), 6, 0.1,
                0.0, 8, 1, TimeUnit.MILLISECONDS.toNanos(500), null))
        {
            cluster.awaitConnected(Duration.ofSeconds(20));
            workload.awaitConnected(TimeUnit.SECONDS.toNanos(20), idle);
            cluster.stop(0);
            workload.run(100, TimeUnit.SECONDS.toNanos(30), TimeUnit.SECONDS.toNanos(5), idle, null);
            assertEquals(100, workload.completed(), "commands answered");
        }
        return journals;
    }

    @Test
    void printsTheRecordsOfATempoJournal()
    {
        final Path journal = journalsOf(ProtocolName.TEMPO).resolve("replica-1");
        assertEquals(0, run("journal", journal.toString()), err.toString());
        final List<String> lines = out.toString().lines().toList();
        assertTrue(lines.size() > 20, out.toString()); // commands are batched: fewer instances than commands
        assertTrue(lines.stream().noneMatch((line) -> line.contains("unreadable") || line.contains("template")),
            out.toString());
        assertTrue(lines.stream().anyMatch((line) -> line.matches("#\\d+ TempoRecord dot=\\d+\\.\\d+ " +
            "status=COMMITTED promised=\\S+ accepted=\\S+ timestamp=[1-9]\\d* proposal=\\d+ proposalBallot=\\S+ " +
            "fastQuorum=\\[.*] votes=\\[.*] commands=(unchanged|\\d+ \\[c=\\d+ r=\\d+ PUT k=.*)")), out.toString());
        assertTrue(lines.stream().anyMatch((line) -> line.contains(" votes=[k=")), out.toString());
        assertTrue(lines.get(lines.size() - 1).matches("records: " + (lines.size() - 1) + ", bytes: \\d+, " +
            "protocol: tempo"), lines.get(lines.size() - 1));
    }

    @Test
    void printsTheRecordsOfAMultiPaxosJournal()
    {
        final Path journal = journalsOf(ProtocolName.PAXOS).resolve("replica-1");
        assertEquals(0, run("journal", journal.toString()), err.toString());
        final List<String> lines = out.toString().lines().toList();
        assertTrue(lines.stream().noneMatch((line) -> line.contains("unreadable") || line.contains("template")),
            out.toString());
        assertTrue(lines.stream().anyMatch((line) -> line.matches("#\\d+ PaxosBallotRecord promised=\\d+\\.\\d+\\.[12]")),
            out.toString());
        assertTrue(lines.stream().anyMatch((line) -> line.matches("#\\d+ InstanceRecord dot=0\\.\\d+ " +
            "status=ACCEPTED promised=0\\.\\d+\\.[12] accepted=0\\.\\d+\\.[12] seq=0 fastQuorum=\\[] deps=\\[] " +
            "commands=\\d+ \\[c=\\d+ r=\\d+ PUT .*")), out.toString());
        assertTrue(lines.stream().anyMatch((line) -> line.matches("#\\d+ InstanceRecord dot=0\\.\\d+ " +
            "status=COMMITTED .* commands=unchanged")), out.toString());
        assertTrue(lines.get(lines.size() - 1).endsWith(", protocol: paxos"), lines.get(lines.size() - 1));
    }

    @Test
    void fromAndLimitSelectRecords()
    {
        assertEquals(0, run("journal", "--from", "1", "--limit", "1", journal().toString()), err.toString());
        final List<String> lines = out.toString().lines().toList();
        assertEquals(2, lines.size(), out.toString());
        assertTrue(lines.get(0).startsWith("#1 InstanceRecord dot=1.2 status=COMMITTED"), lines.get(0));
        assertTrue(lines.get(1).startsWith("records: 1, bytes: "), lines.get(1));
    }

    @Test
    void missingDirectoryIsAUsageErrorWithExitCode2()
    {
        final Path missing = temp.resolve("replica-9");
        assertEquals(2, run("journal", missing.toString()));
        assertTrue(err.toString().contains("no journal at " + missing + ": expected the journal.dir/replica-<id> " +
            "directory of a replica"), err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void negativeLimitIsAUsageError()
    {
        assertEquals(2, run("journal", "--limit", "-1", journal().toString()));
        assertTrue(err.toString().contains("--from and --limit must be >= 0"), err.toString());
    }
}
