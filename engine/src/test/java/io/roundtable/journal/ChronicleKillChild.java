package io.roundtable.journal;

import org.agrona.ExpandableArrayBuffer;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link ChronicleJournalTest}: appends N records with the deterministic contents of
 * {@link ChronicleJournalRecords}, then halts without closing the queue or flushing (a simulated {@code kill -9}).
 * Arguments: directory, record count, flush policy.
 */
public final class ChronicleKillChild
{
    private ChronicleKillChild()
    {
    }

    public static void main(final String[] args)
    {
        final Path dir = Path.of(args[0]);
        final int n = Integer.parseInt(args[1]);
        final ChronicleJournal.FlushPolicy policy = ChronicleJournal.FlushPolicy.valueOf(args[2]);
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(128 * 1024);
        final ChronicleJournal journal = new ChronicleJournal(dir, policy);
        for (int i = 0; i < n; i++)
        {
            final int length = ChronicleJournalRecords.fill(buffer, 8, i);
            journal.append(buffer, 8, length);
        }
        System.out.println("appended " + journal.recordCount());
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
