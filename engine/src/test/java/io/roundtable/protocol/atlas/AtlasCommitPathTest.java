package io.roundtable.protocol.atlas;

import io.roundtable.codecs.MessageHeaderEncoder;
import io.roundtable.codecs.PreAcceptEncoder;
import io.roundtable.protocol.Ballot;
import io.roundtable.protocol.Dot;
import io.roundtable.protocol.dependency.DependencyInstances;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AtlasCommitPathTest
{
    /**
     * With f = 1 every collect goes fast, whatever the interleaving: seeded random submissions on a few keys at random
     * replicas, messages delivered in random order, N = 3..9.
     */
    @Test
    void fastPathIsAlwaysTakenWithOneTolerableFailure()
    {
        for (int replicas = 3; replicas <= 9; replicas += 2)
        {
            final SplittableRandom random = new SplittableRandom(replicas);
            final AtlasTestCluster cluster = new AtlasTestCluster(replicas, 1, 1_000_000_000L);
            int submitted = 0;
            for (int step = 0; step < 400; step++)
            {
                if (random.nextInt(3) == 0)
                {
                    cluster.submit(random.nextInt(replicas), random.nextInt(3), random.nextBoolean());
                    submitted++;
                }
                if (!cluster.queue.isEmpty())
                {
                    cluster.deliver(cluster.queue.remove(random.nextInt(cluster.queue.size())));
                }
            }
            cluster.deliverAll();
            long fast = 0;
            long slow = 0;
            for (final AtlasTestCluster.Node node : cluster.nodes)
            {
                fast += node.atlas.counters().fastPath;
                slow += node.atlas.counters().slowPath;
                assertEquals(submitted, node.executed.size(), "N=" + replicas + " replica " + node.id);
            }
            assertEquals(0, slow, "N=" + replicas);
            assertEquals(submitted, fast, "N=" + replicas);
        }
    }

    /** N = 5, f = 2: a dependency only one of the coordinator's peers reports forces the f+1 consensus. */
    @Test
    void depReportedByFewerThanFPeersTakesSlowPath()
    {
        final AtlasTestCluster cluster = new AtlasTestCluster(5, 2, 1_000_000_000L);
        final long y = cluster.submit(4, 1, true);
        cluster.deliverWhile(m -> m.dot == y && m.to == 1);
        final java.util.List<AtlasTestCluster.Message> held = new java.util.ArrayList<>(cluster.queue);
        cluster.queue.clear(); // y's other MCollects (and 1's reply) stay in flight until a is decided
        final long a = cluster.submit(0, 1, true);
        cluster.deliverAll();
        cluster.queue.addAll(held);
        cluster.deliverAll();

        assertEquals(0, cluster.node(0).atlas.counters().fastPath);
        assertEquals(1, cluster.node(0).atlas.counters().slowPath);
        for (final AtlasTestCluster.Node node : cluster.nodes)
        {
            assertEquals(DependencyInstances.EXECUTED, node.atlas.statusOf(a));
            assertArrayEquals(cluster.node(0).committed.get(a), node.committed.get(a), "agreement at " + node.id);
        }
        assertArrayEquals(new long[] {y}, cluster.node(0).committed.get(a), "the union is what consensus fixes");
    }

    @Test
    void malformedInputIsCountedAndDropped()
    {
        final AtlasTestCluster cluster = new AtlasTestCluster(3, 1, 1_000_000_000L);
        final Atlas atlas = cluster.node(1).atlas;
        atlas.onMessage(0, new UnsafeBuffer(new byte[] {1, 2, 3}), 0, 3);
        atlas.onMessage(0, new UnsafeBuffer(new byte[64]), 0, 64);

        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final PreAcceptEncoder preAccept = new PreAcceptEncoder();
        final long dot = Dot.of(0, 1);
        preAccept.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .ballot(Ballot.nextAbove(Ballot.initial(0, 0), 0)).dot(dot).seq(0).fastQuorum(3);
        preAccept.depsCount(0);
        cluster.encodeBatch(1, true);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + preAccept.encodedLength();
        atlas.onMessage(0, buffer, 0, length); // an MCollect is only ever sent at the owner's initial ballot
        atlas.onMessage(7, buffer, 0, length); // no such replica

        assertEquals(4, atlas.counters().malformedDropped);
        assertEquals(DependencyInstances.NONE, atlas.statusOf(dot));
        assertEquals(0, cluster.queue.size());
    }
}
