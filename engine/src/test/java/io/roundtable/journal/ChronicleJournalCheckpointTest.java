package io.roundtable.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class ChronicleJournalCheckpointTest
{
    private static final ChronicleJournal.FlushPolicy NONE = ChronicleJournal.FlushPolicy.NONE;
    private static final ChronicleJournal.FlushPolicy PER_BATCH = ChronicleJournal.FlushPolicy.PER_BATCH;
    /** One cycle a second; the clock below moves it on, so no test waits for a cycle to roll. */
    private static final RollCycle SECONDLY = TestRollCycles.TEST_SECONDLY;

    @TempDir
    Path temp;

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(128 * 1024);
    private final SetTimeProvider clock = new SetTimeProvider(1_700_000_000_000L * 1_000_000L);

    private void appendRecords(final Journal journal, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            final int length = ChronicleJournalRecords.fill(buffer, 16, i);
            journal.append(buffer, 16, length);
        }
    }

    /** Appends records {@code from..to-1} as one checkpoint. */
    private void checkpoint(final Journal journal, final int from, final int to)
    {
        journal.beginCheckpoint();
        appendRecords(journal, from, to);
        journal.endCheckpoint();
    }

    /** Replays and checks exactly records {@code from..to-1} came back intact and in order. */
    static void assertReplays(final Journal journal, final int from, final int to)
    {
        final int[] next = {from};
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
        assertEquals(to, next[0], "replay from record " + from + " ends before record");
    }

    private static List<String> cycleFiles(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.map((file) -> file.getFileName().toString()).filter((name) -> name.endsWith(".cq4"))
                .sorted().toList();
        }
    }

    @Test
    void replayStartsAtTheLastCheckpointAndSurvivesReopen()
    {
        final Path dir = temp.resolve("r");
        try (ChronicleJournal journal = new ChronicleJournal(dir, PER_BATCH))
        {
            appendRecords(journal, 0, 100);
            assertFalse(journal.replaysFromCheckpoint());
            checkpoint(journal, 100, 110);
            assertTrue(journal.replaysFromCheckpoint());
            assertEquals(110, journal.recordCount(), "release does not decrease the count");
            assertEquals(100, journal.releasedRecords());
            assertReplays(journal, 100, 110);
            appendRecords(journal, 110, 150);
            assertReplays(journal, 100, 150);

            checkpoint(journal, 150, 151); // several in a row, one of a single record
            checkpoint(journal, 151, 160);
            appendRecords(journal, 160, 170);
            assertEquals(170, journal.recordCount());
            assertEquals(151, journal.releasedRecords());
            assertReplays(journal, 151, 170);
            journal.flush();
        }
        try (ChronicleJournal journal = new ChronicleJournal(dir, NONE))
        {
            assertTrue(journal.replaysFromCheckpoint());
            assertEquals(19, journal.recordCount(), "records from the replay start, markers not counted");
            assertEquals(0, journal.releasedRecords());
            assertReplays(journal, 151, 170);
            assertReplays(journal, 151, 170);
            appendRecords(journal, 170, 180);
            checkpoint(journal, 180, 185);
            assertEquals(34, journal.recordCount());
            assertEquals(29, journal.releasedRecords());
            assertReplays(journal, 180, 185);
        }
        try (ChronicleJournal journal = new ChronicleJournal(dir, NONE))
        {
            assertReplays(journal, 180, 185);
        }
    }

    @Test
    void bytesAndRecordCountNeverDecrease()
    {
        try (ChronicleJournal journal = new ChronicleJournal(temp.resolve("m"), NONE))
        {
            long lastBytes = 0;
            int lastCount = 0;
            for (int round = 0; round < 20; round++)
            {
                appendRecords(journal, round * 10, round * 10 + 5);
                checkpoint(journal, round * 10 + 5, round * 10 + 10);
                assertTrue(journal.recordCount() > lastCount);
                assertTrue(journal.bytes() >= lastBytes);
                lastCount = journal.recordCount();
                lastBytes = journal.bytes();
            }
            assertEquals(200, journal.recordCount());
            assertReplays(journal, 195, 200);
        }
    }

    @Test
    void checkpointNotEndedBeforeCloseReplaysFromThePreviousOneIncludingItsRecords()
    {
        final Path dir = temp.resolve("incomplete");
        try (ChronicleJournal journal = new ChronicleJournal(dir, PER_BATCH))
        {
            appendRecords(journal, 0, 100);
            checkpoint(journal, 100, 110);
            appendRecords(journal, 110, 200);
            journal.beginCheckpoint();
            appendRecords(journal, 200, 250);
            journal.flush();
        }
        try (ChronicleJournal journal = new ChronicleJournal(dir, PER_BATCH))
        {
            assertEquals(150, journal.recordCount());
            assertReplays(journal, 100, 250);
            assertThrows(IllegalStateException.class, journal::endCheckpoint, "a begin does not outlive its journal");
            checkpoint(journal, 250, 260);
            assertEquals(150, journal.releasedRecords());
            assertReplays(journal, 250, 260);
        }
        try (ChronicleJournal journal = new ChronicleJournal(dir, NONE))
        {
            assertReplays(journal, 250, 260);
        }
    }

    @Test
    void checkpointInterruptedByAHaltedProcessReplaysFromThePreviousOne() throws Exception
    {
        final Path dir = temp.resolve("killed");
        final int n = 5_000;
        // a checkpoint of records 1000..1009 completes, another begins at record 3000 and is never ended
        ChronicleJournalTest.runKillChild(dir, n, NONE, "1000", "3000");
        try (ChronicleJournal journal = new ChronicleJournal(dir, NONE))
        {
            assertEquals(n - 1000, journal.recordCount());
            assertReplays(journal, 1000, n);
            appendRecords(journal, n, n + 10);
            assertReplays(journal, 1000, n + 10);
        }
    }

    @Test
    void checkpointDeletesTheCycleFilesBeforeItsFirstRecord() throws IOException
    {
        final Path dir = temp.resolve("cycles");
        try (ChronicleJournal journal = new ChronicleJournal(dir, PER_BATCH, SECONDLY, clock))
        {
            for (int cycle = 0; cycle < 4; cycle++)
            {
                appendRecords(journal, cycle * 50, cycle * 50 + 50);
                clock.advanceMillis(1_000);
            }
            final List<String> before = cycleFiles(dir);
            assertEquals(4, before.size(), before.toString());

            appendRecords(journal, 200, 220); // cycle 4 starts with records the checkpoint does not need
            checkpoint(journal, 220, 230);
            assertEquals(4, journal.cycleFilesDeleted());
            assertEquals(0, journal.cycleFileDeleteFailures());
            final List<String> after = cycleFiles(dir);
            assertEquals(1, after.size(), after.toString());
            assertFalse(before.contains(after.get(0)), "only the checkpoint's cycle is left");
            assertEquals(230, journal.recordCount());
            assertEquals(220, journal.releasedRecords());
            assertReplays(journal, 220, 230);

            clock.advanceMillis(1_000);
            appendRecords(journal, 230, 260);
            checkpoint(journal, 260, 261); // the previous checkpoint's cycle goes now
            assertEquals(5, journal.cycleFilesDeleted());
            assertEquals(1, cycleFiles(dir).size());
            assertReplays(journal, 260, 261);
            appendRecords(journal, 261, 300);
            checkpoint(journal, 300, 301); // same cycle as the previous checkpoint: releases records, no file
            assertEquals(5, journal.cycleFilesDeleted());
            assertEquals(1, cycleFiles(dir).size());
            assertEquals(300, journal.releasedRecords());
            assertReplays(journal, 300, 301);
            clock.advanceMillis(1_000);
            appendRecords(journal, 301, 320);
            assertEquals(2, cycleFiles(dir).size());
        }
        try (ChronicleJournal journal = new ChronicleJournal(dir, NONE, SECONDLY, clock))
        {
            assertReplays(journal, 300, 320);
            assertEquals(20, journal.recordCount());
            clock.advanceMillis(1_000);
            checkpoint(journal, 320, 330);
            assertEquals(2, journal.cycleFilesDeleted(), "files written before the reopen are released too");
            assertEquals(1, cycleFiles(dir).size());
            assertReplays(journal, 320, 330);
        }
        try (ChronicleJournal journal = new ChronicleJournal(dir, NONE, SECONDLY, clock))
        {
            assertReplays(journal, 320, 330);
            clock.advanceMillis(1_000);
            appendRecords(journal, 330, 340);
            assertReplays(journal, 320, 340);
        }
    }

    @Test
    void checkpointStartingOnACycleBoundaryKeepsItsOwnCycle() throws IOException
    {
        final Path dir = temp.resolve("boundary");
        try (ChronicleJournal journal = new ChronicleJournal(dir, NONE, SECONDLY, clock))
        {
            appendRecords(journal, 0, 30);
            journal.beginCheckpoint();
            clock.advanceMillis(1_000); // begun in one cycle, first record in the next
            appendRecords(journal, 30, 40);
            clock.advanceMillis(1_000); // and the marker in a third
            journal.endCheckpoint();
            assertEquals(1, journal.cycleFilesDeleted());
            assertEquals(2, cycleFiles(dir).size());
            assertReplays(journal, 30, 40);
        }
        try (ChronicleJournal journal = new ChronicleJournal(dir, NONE, SECONDLY, clock))
        {
            assertReplays(journal, 30, 40);
        }
    }

    @Test
    void endCheckpointMisuseIsAnIllegalStateAndBeginStartsOver()
    {
        try (ChronicleJournal journal = new ChronicleJournal(temp.resolve("e"), NONE))
        {
            final IllegalStateException notBegun = assertThrows(IllegalStateException.class, journal::endCheckpoint);
            assertTrue(notBegun.getMessage().contains("without beginCheckpoint()"), notBegun.getMessage());
            journal.beginCheckpoint();
            final IllegalStateException empty = assertThrows(IllegalStateException.class, journal::endCheckpoint);
            assertTrue(empty.getMessage().contains("no record appended"), empty.getMessage());

            appendRecords(journal, 0, 10);
            journal.beginCheckpoint(); // starts over: record 10 is the first
            appendRecords(journal, 10, 12);
            journal.endCheckpoint();
            assertThrows(IllegalStateException.class, journal::endCheckpoint, "a checkpoint ends once");
            assertReplays(journal, 10, 12);
            assertEquals(10, journal.releasedRecords());
        }
        final ChronicleJournal closed = new ChronicleJournal(temp.resolve("closed"), NONE);
        closed.close();
        assertThrows(IllegalStateException.class, closed::beginCheckpoint);
        assertThrows(IllegalStateException.class, closed::endCheckpoint);
    }

    @Test
    void journalWrittenBeforeCheckpointsWithTheDailyCycleReplaysFromTheStart()
    {
        final Path dir = temp.resolve("old");
        try (ChronicleJournal journal = new ChronicleJournal(dir, NONE, RollCycles.FAST_DAILY))
        {
            appendRecords(journal, 0, 300);
        }
        try (ChronicleJournal journal = new ChronicleJournal(dir, NONE)) // the hourly default: the queue's cycle wins
        {
            assertFalse(journal.replaysFromCheckpoint());
            assertEquals(300, journal.recordCount());
            assertReplays(journal, 0, 300);
            checkpoint(journal, 300, 310);
            assertEquals(0, journal.cycleFilesDeleted(), "one daily cycle: nothing whole to delete");
            assertReplays(journal, 300, 310);
        }
    }

    /** Appends one raw excerpt, bypassing the journal: what a damaged or foreign writer could leave. */
    private static void appendRaw(final Path dir, final int prefix, final long body, final int bodyBytes)
    {
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).rollCycle(RollCycles.FAST_HOURLY)
            .build(); ExcerptAppender appender = queue.createAppender(); DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> out = dc.wire().bytes();
            out.writeInt(prefix);
            if (bodyBytes == 8)
            {
                out.writeLong(body);
            }
            else
            {
                out.writeInt((int)body);
            }
        }
    }

    @Test
    void malformedMarkersAreReportedAsCorrupt()
    {
        final Path shortMarker = temp.resolve("short");
        try (ChronicleJournal journal = new ChronicleJournal(shortMarker, NONE))
        {
            appendRecords(journal, 0, 3);
        }
        appendRaw(shortMarker, ChronicleJournal.MARKER, 0, 4);
        final IllegalStateException shortEx = assertThrows(IllegalStateException.class,
            () -> new ChronicleJournal(shortMarker, NONE));
        assertTrue(shortEx.getMessage().contains("checkpoint marker with 4 bytes"), shortEx.getMessage());

        final Path forward = temp.resolve("forward");
        try (ChronicleJournal journal = new ChronicleJournal(forward, NONE))
        {
            appendRecords(journal, 0, 3);
        }
        appendRaw(forward, ChronicleJournal.MARKER, Long.MAX_VALUE, 8);
        final IllegalStateException forwardEx = assertThrows(IllegalStateException.class,
            () -> new ChronicleJournal(forward, NONE));
        assertTrue(forwardEx.getMessage().contains("not before it"), forwardEx.getMessage());

        final Path negative = temp.resolve("negative");
        try (ChronicleJournal journal = new ChronicleJournal(negative, NONE))
        {
            appendRecords(journal, 0, 3);
        }
        appendRaw(negative, -2, 0, 8);
        final IllegalStateException negativeEx = assertThrows(IllegalStateException.class,
            () -> new ChronicleJournal(negative, NONE));
        assertTrue(negativeEx.getMessage().contains("length prefix -2"), negativeEx.getMessage());
    }

    @Test
    void appendStaysAllocationFreeWithACheckpointBegun()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        final UnsafeBuffer record = new UnsafeBuffer(new byte[256]);
        try (ChronicleJournal journal = new ChronicleJournal(temp.resolve("alloc"), NONE))
        {
            for (int i = 0; i < 200_000; i++)
            {
                journal.append(record, 0, 32 + (i & 127));
            }
            journal.beginCheckpoint();
            final long before = threads.getThreadAllocatedBytes(threadId);
            for (int i = 0; i < 100_000; i++)
            {
                journal.append(record, 0, 32 + (i & 127));
            }
            final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
            assertTrue(allocated < 1024, "allocated " + allocated + " bytes over 100k warm appends");
            journal.endCheckpoint();
        }
    }
}
