package io.roundtable.journal;

import org.agrona.ExpandableArrayBuffer;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link ChronicleJournalTest}: appends N records with the deterministic contents of
 * {@link ChronicleJournalRecords}, then halts without closing the queue or flushing (a simulated {@code kill -9}).
 * Arguments: directory, record count, flush policy, and optionally two record numbers: a checkpoint is begun before
 * the first and ended ten records later, and another is begun before the second and never ended.
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
        final int completed = args.length > 3 ? Integer.parseInt(args[3]) : -1;
        final int incomplete = args.length > 4 ? Integer.parseInt(args[4]) : -1;
        final ChronicleJournal journal = new ChronicleJournal(dir, policy);
        for (int i = 0; i < n; i++)
        {
            if (i == completed || i == incomplete)
            {
                journal.beginCheckpoint();
            }
            final int length = ChronicleJournalRecords.fill(buffer, 8, i);
            journal.append(buffer, 8, length);
            if (completed >= 0 && i == completed + 9)
            {
                journal.endCheckpoint();
            }
        }
        System.out.println("appended " + journal.recordCount());
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
