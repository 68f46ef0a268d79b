package io.roundtable.journal;

import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import static io.roundtable.journal.ChronicleJournalCheckpointTest.assertReplays;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InMemoryJournalTest
{
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(128 * 1024);

    private void appendRecords(final Journal journal, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            final int length = ChronicleJournalRecords.fill(buffer, 16, i);
            journal.append(buffer, 16, length);
        }
    }

    private static long bytesOf(final int from, final int to)
    {
        long total = 0;
        for (int i = from; i < to; i++)
        {
            total += ChronicleJournalRecords.length(i);
        }
        return total;
    }

    @Test
    void replayStartsAtTheLastCheckpointAndCountsNeverDecrease()
    {
        final InMemoryJournal journal = new InMemoryJournal();
        appendRecords(journal, 0, 100);
        assertReplays(journal, 0, 100);
        assertEquals(0, journal.releasedRecords());

        journal.beginCheckpoint();
        appendRecords(journal, 100, 110);
        assertReplays(journal, 0, 110); // not released before the end
        journal.endCheckpoint();
        assertReplays(journal, 100, 110);
        assertEquals(110, journal.recordCount());
        assertEquals(bytesOf(0, 110), journal.bytes());
        assertEquals(100, journal.releasedRecords());
        assertEquals(10, journal.heldRecords());
        assertEquals(bytesOf(100, 110), journal.heldBytes());

        appendRecords(journal, 110, 150);
        journal.beginCheckpoint();
        appendRecords(journal, 150, 151);
        journal.endCheckpoint();
        journal.beginCheckpoint();
        appendRecords(journal, 151, 160);
        journal.endCheckpoint();
        appendRecords(journal, 160, 170);
        assertReplays(journal, 151, 170);
        assertReplays(journal, 151, 170);
        assertEquals(170, journal.recordCount());
        assertEquals(151, journal.releasedRecords());
        assertEquals(bytesOf(0, 170), journal.bytes());
    }

    @Test
    void checkpointNotEndedKeepsEverythingSinceThePreviousOne()
    {
        final InMemoryJournal journal = new InMemoryJournal();
        appendRecords(journal, 0, 50);
        journal.beginCheckpoint();
        appendRecords(journal, 50, 60);
        journal.endCheckpoint();
        appendRecords(journal, 60, 80);
        journal.beginCheckpoint();
        appendRecords(journal, 80, 90);
        // the replica crashes here: the simulator keeps the journal and replays it into a new incarnation
        assertReplays(journal, 50, 90);
        journal.beginCheckpoint(); // the new incarnation starts its own checkpoint over
        appendRecords(journal, 90, 95);
        journal.endCheckpoint();
        assertReplays(journal, 90, 95);
        assertEquals(90, journal.releasedRecords());
    }

    @Test
    void releaseCompactsSoMemoryFollowsWhatIsHeldNotTheRunLength()
    {
        final InMemoryJournal journal = new InMemoryJournal();
        appendRecords(journal, 0, 5_000); // includes 64 KiB records: several MiB
        final int grown = journal.capacity();
        assertTrue(grown > 2 * 1024 * 1024, "capacity " + grown);
        journal.beginCheckpoint();
        appendRecords(journal, 5_000, 5_003);
        journal.endCheckpoint();
        assertEquals(3, journal.heldRecords());
        assertTrue(journal.capacity() < grown / 4, "capacity " + journal.capacity() + " after release, was " + grown);
        assertReplays(journal, 5_000, 5_003);

        int highWater = 0;
        for (int round = 0; round < 200; round++) // a long run of small windows stays small
        {
            final int from = 5_003 + round * 20;
            appendRecords(journal, from, from + 15);
            journal.beginCheckpoint();
            appendRecords(journal, from + 15, from + 20);
            journal.endCheckpoint();
            assertReplays(journal, from + 15, from + 20);
            highWater = Math.max(highWater, journal.capacity());
        }
        assertTrue(highWater <= 4 * 64 * 1024 * 20, "capacity reached " + highWater);
        assertEquals(9_003, journal.recordCount());
    }

    @Test
    void endCheckpointMisuseIsAnIllegalStateAndBeginStartsOver()
    {
        final InMemoryJournal journal = new InMemoryJournal();
        final IllegalStateException notBegun = assertThrows(IllegalStateException.class, journal::endCheckpoint);
        assertTrue(notBegun.getMessage().contains("without beginCheckpoint()"), notBegun.getMessage());
        journal.beginCheckpoint();
        final IllegalStateException empty = assertThrows(IllegalStateException.class, journal::endCheckpoint);
        assertTrue(empty.getMessage().contains("no record appended"), empty.getMessage());

        appendRecords(journal, 0, 10);
        journal.beginCheckpoint();
        appendRecords(journal, 10, 12);
        journal.endCheckpoint();
        assertThrows(IllegalStateException.class, journal::endCheckpoint, "a checkpoint ends once");
        assertReplays(journal, 10, 12);
        assertEquals(10, journal.releasedRecords());
    }
}
