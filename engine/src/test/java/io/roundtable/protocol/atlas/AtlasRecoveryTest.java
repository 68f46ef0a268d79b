package io.roundtable.protocol.atlas;

import io.roundtable.codecs.AcceptDecoder;
import io.roundtable.codecs.CommitDecoder;
import io.roundtable.codecs.MessageHeaderDecoder;
import io.roundtable.codecs.NackDecoder;
import io.roundtable.codecs.PreAcceptDecoder;
import io.roundtable.codecs.PreAcceptOkDecoder;
import io.roundtable.codecs.PrepareDecoder;
import io.roundtable.codecs.PrepareOkDecoder;
import io.roundtable.command.CommandBatchReader;
import io.roundtable.protocol.Dot;
import io.roundtable.protocol.StepCluster;
import io.roundtable.protocol.dependency.DependencyInstances;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Atlas recovery schedules driven message by message. */
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

    /**
     * N = 5, f = 2. Case 3 of {@link AtlasRecovery}: the recoverer (replica 3) lacks the payload of a, whose coordinator 0 crashed
     * after its MCollect reached replica 1 only; replica 4, also in the recovery quorum {3, 1, 4}, holds no payload
     * either, so it computed no dependencies and cannot count. The recoverer learns the payload from 1's MRecAck and
     * restarts at a higher ballot with the payload in its MRec; now 4 votes {@code recover-r} and reports z, a
     * pending conflicting command only 4 knows. The owner cannot have decided (its fast quorum never answered), and
     * replica 3 of the fast quorum voted at a recovery ballot, so the whole quorum's union {w, z} is committed.
     */
    @Test
    void recoveryLearnsPayloadAndRestarts()
    {
        final AtlasTestCluster cluster = new AtlasTestCluster(5, 2, 1_000_000_000L);
        final long w = cluster.submit(4, KEY, true);
        cluster.deliverAll(); // w committed everywhere
        final long z = cluster.submit(4, KEY, true);
        cluster.lost = m -> m.dot == z; // z stays pending at 4, unknown to everyone else

        final long a = cluster.submit(0, KEY, true);
        cluster.deliverWhile(m -> m.dot == a && m.templateId == PreAcceptDecoder.TEMPLATE_ID && m.to == 1);
        cluster.crash(0);

        cluster.node(3).atlas.startRecovery(a);
        final long firstBallot = prepareBallot(cluster, 3);
        assertEquals(0, prepareCommandsLength(cluster, 3), "the recoverer has no payload to carry");
        cluster.deliverWhile(m -> m.dot == a && readBallot(m) == firstBallot &&
            (m.templateId == PrepareDecoder.TEMPLATE_ID ? m.to == 1 || m.to == 4 :
            m.templateId == PrepareOkDecoder.TEMPLATE_ID));

        assertEquals(2, cluster.node(3).atlas.counters().recoveries, "a payloadless reply restarts the recovery");
        cluster.drop(m -> m.templateId == PrepareDecoder.TEMPLATE_ID && readBallot(m) == firstBallot);
        final long secondBallot = prepareBallot(cluster, 3);
        assertTrue(secondBallot > firstBallot, "the restart is at a higher ballot");
        assertTrue(prepareCommandsLength(cluster, 3) > 0, "the restarted MRec carries the payload learnt");
        assertEquals(0, cluster.countQueued(m -> m.templateId == AcceptDecoder.TEMPLATE_ID),
            "nothing is proposed from a quorum with a payloadless reply");

        cluster.deliverWhile(m -> m.dot == a && (m.templateId == PrepareDecoder.TEMPLATE_ID ?
            m.to == 1 || m.to == 4 : m.templateId == PrepareOkDecoder.TEMPLATE_ID));
        cluster.deliverAll();

        final long[] expected = {w, z};
        Arrays.sort(expected);
        for (final int live : new int[] {1, 2, 3, 4})
        {
            assertArrayEquals(expected, cluster.node(live).committed.get(a), "replica " + live + " deps of a");
        }
        assertEquals(2, cluster.node(3).atlas.counters().recoveries);
    }

    /**
     * N = 5, f = 2. The coordinator of x crashes mid fast path, after its MCollect reached replica 1 only. Meanwhile y, conflicting,
     * commits on the slow path from replicas 2, 3 and 4, none of which heard of x (y's MCollect to 1 is lost), so y
     * does not depend on x. Recovery must then give x a dependency on y: the recovery quorum meets every replica that
     * votes on y. Either way one depends on the other, and both execute in the same order everywhere.
     */
    @Test
    void recoveredDepsKeepConflictOrder()
    {
        final AtlasTestCluster cluster = new AtlasTestCluster(5, 2, RECOVERY_NS);
        final long x = cluster.submit(0, KEY, true);
        cluster.deliverWhile(m -> m.dot == x && m.templateId == PreAcceptDecoder.TEMPLATE_ID && m.to == 1);
        cluster.crash(0);

        final long y = cluster.submit(4, KEY, true);
        cluster.lost = m -> m.dot == y && m.templateId == PreAcceptDecoder.TEMPLATE_ID && m.to == 1;
        cluster.run(STEP_NS, 3 * STEP_NS); // y's collect widens after the phase timeout and goes slow
        assertNotNull(cluster.node(4).committed.get(y), "y committed while x is undecided");
        assertEquals(DependencyInstances.PRE_ACCEPTED, cluster.node(1).atlas.statusOf(x));

        cluster.lost = m -> false;
        cluster.run(STEP_NS, 40 * RECOVERY_NS);

        final long[] xDeps = cluster.node(1).committed.get(x);
        final long[] yDeps = cluster.node(1).committed.get(y);
        assertNotNull(xDeps, "x recovered");
        assertTrue(contains(xDeps, y) || contains(yDeps, x), "conflicting x " + Arrays.toString(xDeps) +
            " and y " + Arrays.toString(yDeps) + ": one must depend on the other");
        final List<Long> expectedOrder = order(cluster.node(1), x, y);
        for (final int live : new int[] {1, 2, 3, 4})
        {
            final AtlasTestCluster.Node node = cluster.node(live);
            assertArrayEquals(xDeps, node.committed.get(x), "replica " + live + " deps of x");
            assertArrayEquals(yDeps, node.committed.get(y), "replica " + live + " deps of y");
            assertEquals(expectedOrder, order(node, x, y), "replica " + live + " execution order");
        }
        assertEquals(2, expectedOrder.size(), "both executed");
    }

    private static List<Long> order(final AtlasTestCluster.Node node, final long x, final long y)
    {
        return node.executed.stream().filter(dot -> dot == x || dot == y).collect(Collectors.toList());
    }

    private static boolean contains(final long[] deps, final long dot)
    {
        return deps != null && Arrays.stream(deps).anyMatch(d -> d == dot);
    }

    private static long readBallot(final StepCluster.Message message)
    {
        return new UnsafeBuffer(message.bytes).getLong(MessageHeaderDecoder.ENCODED_LENGTH);
    }

    /** The ballot of the MRec(s) {@code from} has queued (all carry the same one). */
    private static long prepareBallot(final AtlasTestCluster cluster, final int from)
    {
        return readBallot(firstPrepare(cluster, from));
    }

    private static int prepareCommandsLength(final AtlasTestCluster cluster, final int from)
    {
        final StepCluster.Message prepare = firstPrepare(cluster, from);
        return new PrepareDecoder()
            .wrapAndApplyHeader(new UnsafeBuffer(prepare.bytes), 0, new MessageHeaderDecoder())
            .commandsLength();
    }

    private static StepCluster.Message firstPrepare(final AtlasTestCluster cluster, final int from)
    {
        return cluster.queue.stream()
            .filter(m -> m.templateId == PrepareDecoder.TEMPLATE_ID && m.from == from)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no MRec queued from replica " + from));
    }
}
