package io.roundtable.journal;

import io.roundtable.command.CommandBatchWriter;
import io.roundtable.protocol.CommitSink;
import io.roundtable.protocol.Outbox;
import io.roundtable.protocol.epaxos.Epaxos;
import io.roundtable.protocol.epaxos.EpaxosConfig;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChronicleEpaxosReplayTest
{
    @TempDir
    Path temp;

    private static final class NoOpOutbox implements Outbox
    {
        private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
        int sends;

        public MutableDirectBuffer buffer()
        {
            return buffer;
        }

        public void send(final int toReplica, final int length)
        {
            sends++;
        }

        public void sendToAll(final int length)
        {
            sends++;
        }
    }

    private static final class RecordingCommits implements CommitSink
    {
        final LongArrayList dots = new LongArrayList();

        public void onCommit(final long dot, final int seq, final long[] deps, final int depsCount)
        {
            dots.addLong(dot);
        }
    }

    private static EpaxosConfig config()
    {
        return new EpaxosConfig().replicaId(0).replicaCount(3).conclude();
    }

    @Test
    void freshReplicaReplayedFromChronicleKnowsWhatTheOriginalPromised()
    {
        final Path dir = temp.resolve("replica-0");
        final CommandBatchWriter writer = new CommandBatchWriter();
        final ExpandableArrayBuffer batch = new ExpandableArrayBuffer(512);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[] {4, 5, 6, 7});
        final long[] dots = new long[5];
        final int[] statuses = new int[dots.length];
        final int records;

        try (ChronicleJournal journal = new ChronicleJournal(dir, ChronicleJournal.FlushPolicy.PER_BATCH))
        {
            final NoOpOutbox outbox = new NoOpOutbox();
            final Epaxos original = new Epaxos(config(), outbox, journal, new RecordingCommits());
            for (int i = 0; i < dots.length; i++)
            {
                final long[] keys = {100 + (i % 2)};
                writer.begin(batch, 0, 1).add(9, i + 1, true, keys, 1, payload, 0, 4);
                dots[i] = original.submit(batch, 0, writer.length());
                journal.flush();
            }
            for (int i = 0; i < dots.length; i++)
            {
                statuses[i] = original.statusOf(dots[i]);
                assertEquals(1, statuses[i], "no peer answered, so the original only pre-accepted");
            }
            assertTrue(outbox.sends > 0);
            records = journal.recordCount();
            assertTrue(records >= dots.length, "one record per promise at least, got " + records);
        }

        try (ChronicleJournal journal = new ChronicleJournal(dir, ChronicleJournal.FlushPolicy.PER_BATCH))
        {
            assertEquals(records, journal.recordCount());
            final RecordingCommits commits = new RecordingCommits();
            final Epaxos restarted = new Epaxos(config(), new NoOpOutbox(), journal, commits);
            final int[] replayed = {0};
            journal.replay((record, offset, length) ->
            {
                restarted.replay(record, offset, length);
                replayed[0]++;
            });
            assertEquals(records, replayed[0]);
            for (int i = 0; i < dots.length; i++)
            {
                assertEquals(statuses[i], restarted.statusOf(dots[i]), "status of dot " + i);
            }
            assertTrue(commits.dots.isEmpty(), "nothing was committed, so replay commits nothing");
            assertEquals(0, restarted.counters().malformedDropped, "replay found no malformed record");
        }
    }
}
