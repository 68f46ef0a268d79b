package io.roundtable.protocol.atlas;

import io.roundtable.codecs.CommitDecoder;
import io.roundtable.codecs.NackDecoder;
import io.roundtable.codecs.PreAcceptDecoder;
import io.roundtable.codecs.PreAcceptOkDecoder;
import io.roundtable.codecs.PrepareDecoder;
import io.roundtable.codecs.PrepareOkDecoder;
import io.roundtable.command.CommandBatchReader;
import io.roundtable.protocol.Dot;
import io.roundtable.protocol.dependency.DependencyInstances;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtlasRecoveryTest
{
    private static final long KEY = 9;
    private static final long STEP_NS = 1_000_000L;
    private static final long RECOVERY_NS = 20_000_000L;

    /**
     * N = 5, f = 2, fast quorum {0, 1, 2, 3}. y (from replica 4) reached only 1 and 2, so a's fast decision {x, y}
     * holds y because exactly f = 2 of the coordinator's peers reported it. Every Commit of a is lost, and the
     * coordinator and replica 1 crash: recovery by {2, 3, 4} must rebuild {x, y} from Q ∩ FQ = {2, 3} (Property 2),
     * not from all of Q: replica 4 holds z, pending there and unknown to everyone else (every message about it is
     * lost until a is recovered), which 4's recovery-time vote adds.
     */
    @Test
    void fastCommitSurvivesCoordinatorCrashWithCommitLost()
    {
        final AtlasTestCluster cluster = new AtlasTestCluster(5, 2, RECOVERY_NS);
        final long x = cluster.submit(4, KEY, true);
        cluster.deliverAll();
        final long y = cluster.submit(4, KEY, true);
        cluster.deliverWhile(m -> m.templateId == PreAcceptDecoder.TEMPLATE_ID && m.dot == y &&
            (m.to == 1 || m.to == 2));
        final long z = cluster.submit(4, KEY, true);
        cluster.lost = m -> m.dot == z;

        final long a = cluster.submit(0, KEY, true);
        cluster.deliverWhile(m -> m.dot == a &&
            (m.templateId == PreAcceptDecoder.TEMPLATE_ID || m.templateId == PreAcceptOkDecoder.TEMPLATE_ID));
        assertEquals(1, cluster.node(0).atlas.counters().fastPath,
            "y reported by f = 2 of the coordinator's peers: fast (the coordinator counts as the union)");
        final long[] decided = cluster.node(0).committed.get(a);
        final long[] expected = {x, y};
        Arrays.sort(expected);
        assertArrayEquals(expected, decided);

        cluster.queue.removeIf(m -> m.templateId == CommitDecoder.TEMPLATE_ID && m.dot == a);
        cluster.crash(0);
        cluster.crash(1);
        cluster.run(STEP_NS, 20 * RECOVERY_NS);

        for (final int live : new int[] {2, 3, 4})
        {
            assertArrayEquals(decided, cluster.node(live).committed.get(a),
                "replica " + live + " recommitted exactly the fast-path deps");
            assertEquals(DependencyInstances.EXECUTED, cluster.node(live).atlas.statusOf(a), "replica " + live);
        }
        cluster.lost = m -> false;
        cluster.run(STEP_NS, 40 * RECOVERY_NS);
        for (final int live : new int[] {2, 3, 4})
        {
            assertEquals(DependencyInstances.EXECUTED, cluster.node(live).atlas.statusOf(z), "replica " + live);
        }
        assertTrue(cluster.node(2).atlas.counters().recoveries + cluster.node(3).atlas.counters().recoveries +
            cluster.node(4).atlas.counters().recoveries > 0);
    }

    /**
     * Nobody but the crashed coordinator ever held a's command, yet a committed command w depends on it (as if its
     * only other holders had crashed too). The executors wait on a, recovery finds no payload in any N−f replies and
     * commits a no-op, so w executes.
     */
    @Test
    void recoveryWithoutPayloadCommitsNoOp()
    {
        final AtlasTestCluster cluster = new AtlasTestCluster(5, 1, RECOVERY_NS);
        final long a = cluster.submit(0, KEY, true);
        cluster.queue.clear(); // every MCollect of a is lost
        cluster.crash(0);
        final long w = Dot.of(1, 1);
        for (int live = 1; live < 5; live++)
        {
            cluster.injectCommit(1, live, w, new long[] {a}, KEY);
        }
        cluster.run(STEP_NS, 20 * RECOVERY_NS);

        final CommandBatchReader reader = new CommandBatchReader();
        final UnsafeBuffer commands = new UnsafeBuffer(0, 0);
        for (int live = 1; live < 5; live++)
        {
            final AtlasTestCluster.Node node = cluster.node(live);
            assertEquals(DependencyInstances.EXECUTED, node.atlas.statusOf(a), "replica " + live);
            assertArrayEquals(new long[0], node.committed.get(a), "a no-op has no dependencies");
            assertTrue(node.atlas.wrapCommands(a, commands));
            assertEquals(0, reader.commandCount(commands, 0), "replica " + live + " committed a no-op for a");
            assertTrue(node.executed.indexOf(a) < node.executed.indexOf(w), "w executes after its dependency");
        }
    }

    /**
     * When the owner answers the MRec it has not decided and never will at its initial ballot, so the fast path is
     * impossible and the recoverer unions the whole recovery quorum, not only its fast-quorum members: here the only
     * dependency comes from replica 4, outside a's fast quorum {0, 1, 2, 3}, which votes at the recovery ballot.
     */
    @Test
    void recoveryWithOwnerInQuorumUnionsWholeQuorum()
    {
        final AtlasTestCluster cluster = new AtlasTestCluster(5, 2, 1_000_000_000L);
        final long z = cluster.submit(4, KEY, true);
        final long a = cluster.submit(0, KEY, true);
        cluster.lost = m -> m.dot == z || (m.dot == a && m.templateId == PreAcceptDecoder.TEMPLATE_ID && m.to != 1);
        cluster.deliverAll(); // only replica 1 votes in a's collect: the owner waits for the rest of its quorum

        cluster.node(1).atlas.startRecovery(a);
        cluster.deliverWhile(m -> m.templateId == PrepareDecoder.TEMPLATE_ID ? m.to == 0 || m.to == 4 :
            m.templateId == PrepareOkDecoder.TEMPLATE_ID);
        cluster.deliverAll();

        assertArrayEquals(new long[] {z}, cluster.node(1).committed.get(a), "Q = {1, 0, 4}, the owner among them");
        for (final int replica : new int[] {0, 2, 3, 4})
        {
            assertArrayEquals(new long[] {z}, cluster.node(replica).committed.get(a), "replica " + replica);
        }
    }

    /** A replica that promised a recovery ballot must not vote in a's initial-ballot collect (Property 2). */
    @Test
    void lateCollectAfterRecoveryBallotIsIgnored()
    {
        final AtlasTestCluster cluster = new AtlasTestCluster(5, 2, RECOVERY_NS);
        final long a = cluster.submit(0, KEY, true);
        cluster.node(2).atlas.startRecovery(a);
        cluster.deliverWhile(m -> m.templateId == PrepareDecoder.TEMPLATE_ID && m.to == 3);
        cluster.deliverWhile(m -> m.templateId == PreAcceptDecoder.TEMPLATE_ID && m.to == 3);

        assertEquals(0, cluster.countQueued(m -> m.templateId == PreAcceptOkDecoder.TEMPLATE_ID && m.from == 3));
        assertEquals(1, cluster.countQueued(m -> m.templateId == NackDecoder.TEMPLATE_ID && m.from == 3 &&
            m.to == 0));
    }
}
