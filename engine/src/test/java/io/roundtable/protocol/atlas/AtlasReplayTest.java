package io.roundtable.protocol.atlas;

import io.roundtable.protocol.JournalSink;
import io.roundtable.protocol.Outbox;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtlasReplayTest
{
    /**
     * A replica's journal, replayed into a fresh core, rebuilds every decision with the same dependencies, and the
     * replay neither journals nor sends anything. Replica 2 of N = 5, f = 2 sees fast and slow decisions, its own
     * and others'.
     */
    @Test
    void replayRebuildsDecisionsWithoutJournalingOrSending()
    {
        final AtlasTestCluster cluster = new AtlasTestCluster(5, 2, 1_000_000_000L);
        for (int i = 0; i < 30; i++)
        {
            final int coordinator = i % 5;
            final long dot = cluster.submit(coordinator, i % 3, i % 4 != 0);
            if (i % 7 == 3)
            {
                cluster.deliverWhile(m -> m.dot == dot && m.to == 2);
            }
        }
        cluster.deliverAll();
        final AtlasTestCluster.Node original = cluster.node(2);
        assertEquals(30, original.committed.size());

        final Map<Long, long[]> replayed = new HashMap<>();
        final Outbox noSends = new Outbox()
        {
            public MutableDirectBuffer buffer()
            {
                return new ExpandableArrayBuffer(1024);
            }

            public void send(final int toReplica, final int length)
            {
                throw new AssertionError("replay sent a message to " + toReplica);
            }

            public void sendToAll(final int length)
            {
                throw new AssertionError("replay sent a message to all");
            }
        };
        final JournalSink noAppends = (buffer, offset, length) ->
        {
            throw new AssertionError("replay journaled a record");
        };
        final Atlas fresh = new Atlas(
            new AtlasConfig().replicaId(2).replicaCount(5).faults(2).phaseTimeoutNs(1_000_000L).conclude(),
            noSends, noAppends, (dot, seq, deps, depsCount) ->
            {
                assertEquals(0, seq, "Atlas orders an SCC by dot alone");
                replayed.put(dot, Arrays.copyOf(deps, depsCount));
            });
        for (final byte[] record : original.journal)
        {
            fresh.replay(new UnsafeBuffer(record), 0, record.length);
        }

        assertEquals(original.committed.keySet(), replayed.keySet());
        for (final Map.Entry<Long, long[]> entry : original.committed.entrySet())
        {
            assertArrayEquals(entry.getValue(), replayed.get(entry.getKey()));
        }
        assertTrue(original.atlas.counters().fastPath + original.atlas.counters().slowPath > 0);
    }
}
