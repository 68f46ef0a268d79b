package io.roundtable.tools;

import io.roundtable.codecs.InstanceRecordEncoder;
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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        System.out.println(out);
        assertEquals(4, lines.size(), out.toString());
        assertEquals("#0 InstanceRecord dot=1.1 status=COMMITTED promised=0.0.1 accepted=0.0.1 seq=1 " +
            "fastQuorum=[0, 1] deps=[] commands=1 [c=5 r=1 PUT k=40 (4 B)]", lines.get(0));
        assertTrue(lines.get(2).startsWith("#2 InstanceRecord dot=1.3 "), lines.get(2));
        assertTrue(lines.get(2).contains("deps=[1.2]"), lines.get(2));
        assertTrue(lines.get(3).matches("records: 3, bytes: \\d+"), lines.get(3));
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
