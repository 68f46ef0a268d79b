package io.roundtable.journal;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class ChronicleJournalTest
{
    /** The JVM flags of the parent pom's roundtable.jvm.flags, for the child JVM. */
    private static final String[] JVM_FLAGS = {
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "-Dchronicle.analytics.disable=true",
        "-Dchronicle.announcer.disable=true",
    };

    @TempDir
    Path temp;

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(128 * 1024);

    private void appendRecords(final ChronicleJournal journal, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            final int length = ChronicleJournalRecords.fill(buffer, 16, i);
            journal.append(buffer, 16, length);
        }
    }

    /** Replays and checks records {@code 0..expected-1} came back intact and in order. */
    private static void assertReplays(final ChronicleJournal journal, final int expected)
    {
        final int[] next = {0};
        journal.replay((record, offset, length) ->
        {
            final int i = next[0]++;
            assertEquals(ChronicleJournalRecords.length(i), length, "length of record " + i);
            for (int p = 0; p < length; p++)
            {
                if (record.getByte(offset + p) != ChronicleJournalRecords.byteAt(i, p))
                {
                    fail("record " + i + " differs at byte " + p);
                }
            }
        });
        assertEquals(expected, next[0], "records replayed");
        assertEquals(expected, journal.recordCount());
    }

    private static long expectedBytes(final int n)
    {
        long total = 0;
        for (int i = 0; i < n; i++)
        {
            total += ChronicleJournalRecords.length(i);
        }
        return total;
    }

    @Test
    void roundTripOfVariedLengthsIncludingEmptyAnd64KiB()
    {
        final int n = 2_000;
        try (ChronicleJournal journal = new ChronicleJournal(temp.resolve("r0"), ChronicleJournal.FlushPolicy.NONE))
        {
            assertEquals(0, journal.recordCount());
            appendRecords(journal, 0, n);
            assertEquals(n, journal.recordCount());
            assertEquals(expectedBytes(n), journal.bytes());
            assertReplays(journal, n);
            assertReplays(journal, n); // replay is repeatable
        }
    }

    @Test
    void offHeapAndOffsetSourcesAreCopiedExactly()
    {
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
        final UnsafeBuffer slice = new UnsafeBuffer(new byte[1024], 100, 500);
        for (int p = 0; p < 10; p++)
        {
            direct.putByte(3 + p, (byte)(p + 1));
            slice.putByte(7 + p, (byte)(p + 11));
        }
        final List<byte[]> seen = new ArrayList<>();
        try (ChronicleJournal journal = new ChronicleJournal(temp.resolve("r0"), ChronicleJournal.FlushPolicy.NONE))
        {
            journal.append(direct, 3, 10);
            journal.append(slice, 7, 10);
            journal.replay((record, offset, length) ->
            {
                final byte[] copy = new byte[length];
                record.getBytes(offset, copy);
                seen.add(copy);
            });
        }
        assertEquals(2, seen.size());
        for (int p = 0; p < 10; p++)
        {
            assertEquals(p + 1, seen.get(0)[p]);
            assertEquals(p + 11, seen.get(1)[p]);
        }
    }

    @Test
    void reopenReplaysInOrderAndAppendsContinue()
    {
        final Path dir = temp.resolve("r1");
        try (ChronicleJournal journal = new ChronicleJournal(dir, ChronicleJournal.FlushPolicy.PER_BATCH))
        {
            appendRecords(journal, 0, 500);
            journal.flush();
        }
        try (ChronicleJournal journal = new ChronicleJournal(dir, ChronicleJournal.FlushPolicy.PER_BATCH))
        {
            assertEquals(500, journal.recordCount());
            assertEquals(expectedBytes(500), journal.bytes());
            assertReplays(journal, 500);
            appendRecords(journal, 500, 800);
            journal.flush();
            assertReplays(journal, 800);
        }
        try (ChronicleJournal journal = new ChronicleJournal(dir, ChronicleJournal.FlushPolicy.NONE))
        {
            assertReplays(journal, 800);
            assertEquals(expectedBytes(800), journal.bytes());
        }
    }

    @Test
    void recordsSurviveAHaltedProcessWithoutCloseOrFlush() throws Exception
    {
        final Path dir = temp.resolve("killed");
        final int n = 20_000;
        runKillChild(dir, n, ChronicleJournal.FlushPolicy.NONE);

        try (ChronicleJournal journal = new ChronicleJournal(dir, ChronicleJournal.FlushPolicy.NONE))
        {
            assertReplays(journal, n);
            appendRecords(journal, n, n + 10);
            assertReplays(journal, n + 10);
        }
    }

    /**
     * Runs {@link ChronicleKillChild} in a child JVM with these arguments after the directory, and checks it appended
     * {@code n} records before it halted.
     */
    static void runKillChild(final Path dir, final int n, final ChronicleJournal.FlushPolicy policy,
        final String... checkpoints) throws Exception
    {
        final String java = ProcessHandle.current().info().command().orElseThrow(
            () -> new IllegalStateException("cannot tell which java executable runs this test"));
        final List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(List.of(JVM_FLAGS));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ChronicleKillChild.class.getName());
        command.add(dir.toString());
        command.add(Integer.toString(n));
        command.add(policy.name());
        command.addAll(List.of(checkpoints));
        final Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        final StringBuilder output = new StringBuilder();
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = in.readLine()) != null)
                {
                    output.append(line).append('\n');
                }
            }
            catch (final IOException ignore)
            {
                // the child is gone
            }
        });
        reader.start();
        if (!child.waitFor(120, TimeUnit.SECONDS))
        {
            child.destroyForcibly();
            fail("child JVM did not finish within 120 s; output:\n" + output);
        }
        reader.join(10_000);
        assertEquals(0, child.exitValue(), "child output:\n" + output);
        assertTrue(output.toString().contains("appended " + n), "child output:\n" + output);
    }

    @Test
    void appendIsAllocationFreeOnceWarm()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        final UnsafeBuffer record = new UnsafeBuffer(new byte[256]);
        try (ChronicleJournal journal = new ChronicleJournal(temp.resolve("alloc"), ChronicleJournal.FlushPolicy.NONE))
        {
            for (int i = 0; i < 200_000; i++)
            {
                journal.append(record, 0, 32 + (i & 127));
            }
            final long before = threads.getThreadAllocatedBytes(threadId);
            for (int i = 0; i < 100_000; i++)
            {
                journal.append(record, 0, 32 + (i & 127));
            }
            final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
            System.out.println("ChronicleJournal: " + allocated + " bytes allocated over 100k warm appends");
            assertTrue(allocated < 1024, "allocated " + allocated + " bytes over 100k warm appends");
        }
    }

    @Test
    void perBatchFlushOnlySyncsWhenSomethingWasAppended()
    {
        try (ChronicleJournal journal = new ChronicleJournal(temp.resolve("f"), ChronicleJournal.FlushPolicy.PER_BATCH))
        {
            journal.flush(); // nothing appended yet: no appender, no-op
            appendRecords(journal, 0, 10);
            journal.flush();
            journal.flush();
            assertReplays(journal, 10);
        }
    }

    @Test
    void directoryThatCannotBeCreatedNamesThePathAndTheFix() throws IOException
    {
        final Path file = Files.createFile(temp.resolve("plain-file"));
        final IllegalStateException underFile = assertThrows(IllegalStateException.class,
            () -> new ChronicleJournal(file.resolve("journal"), ChronicleJournal.FlushPolicy.NONE));
        assertTrue(underFile.getMessage().contains(file.resolve("journal").toString()), underFile.getMessage());
        assertTrue(underFile.getMessage().contains("choose another journal directory"), underFile.getMessage());

        final IllegalStateException isFile = assertThrows(IllegalStateException.class,
            () -> new ChronicleJournal(file, ChronicleJournal.FlushPolicy.NONE));
        assertTrue(isFile.getMessage().contains(file.toString()), isFile.getMessage());
        assertTrue(isFile.getMessage().contains("not a directory"), isFile.getMessage());
    }

    @Test
    void closedJournalRejectsUse()
    {
        final ChronicleJournal journal = new ChronicleJournal(temp.resolve("c"), ChronicleJournal.FlushPolicy.NONE);
        journal.close();
        journal.close();
        final DirectBuffer any = new UnsafeBuffer(new byte[4]);
        assertThrows(IllegalStateException.class, () -> journal.append(any, 0, 4));
        assertThrows(IllegalStateException.class, () -> journal.replay((b, o, l) -> { }));
    }
}
