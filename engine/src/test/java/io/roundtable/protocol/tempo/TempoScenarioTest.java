package io.roundtable.protocol.tempo;

import io.roundtable.codecs.TempoCommitDecoder;
import io.roundtable.codecs.TempoPromisesDecoder;
import io.roundtable.codecs.TempoProposeDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TempoScenarioTest
{
    private static final long KEY = 5;

    @Test
    void fastPathPredicateCountsTheCoordinatorAsOneProposerOfTheMax()
    {
        assertTrue(TempoCoordinator.isFastPath(1, 1), "f=1: any acceptor at the max suffices");
        assertTrue(TempoCoordinator.isFastPath(2, 2));
        assertEquals(false, TempoCoordinator.isFastPath(1, 2), "f=2: the coordinator and one acceptor are 2 < 3");
        assertEquals(false, TempoCoordinator.isFastPath(2, 3));
    }

    /** N=5, f=2: fast quorum 4. The max proposed by the coordinator plus 2 acceptors (f+1) is fast; plus 1 is not. */
    @Test
    void fastPathIffMaxProposedByAtLeastFPlusOneCountingTheCoordinator()
    {
        final TempoTestCluster fast = new TempoTestCluster(5, 2);
        fast.node(1).tempo.clocks.raise(KEY, 10);
        fast.node(2).tempo.clocks.raise(KEY, 10);
        final long fastDot = fast.submit(0, KEY);
        fast.deliverAll();
        assertEquals(1, fast.node(0).tempo.counters().fastPath);
        assertEquals(0, fast.node(0).tempo.counters().slowPath);
        assertEquals(11L, fast.node(4).decided.get(fastDot));

        final TempoTestCluster slow = new TempoTestCluster(5, 2);
        slow.node(1).tempo.clocks.raise(KEY, 10);
        final long slowDot = slow.submit(0, KEY);
        slow.deliverAll();
        assertEquals(0, slow.node(0).tempo.counters().fastPath);
        assertEquals(1, slow.node(0).tempo.counters().slowPath);
        for (int replica = 0; replica < 5; replica++)
        {
            assertEquals(11L, slow.node(replica).decided.get(slowDot), "replica " + replica);
        }
    }

    @Test
    void withOneTolerableFailureEveryCommandTakesTheFastPath()
    {
        final SplittableRandom random = new SplittableRandom(7);
        for (final int replicas : new int[] {3, 5, 7})
        {
            final TempoTestCluster cluster = new TempoTestCluster(replicas, 1);
            for (int i = 0; i < 50; i++)
            {
                for (int replica = 0; replica < replicas; replica++)
                {
                    cluster.node(replica).tempo.clocks.raise(KEY, random.nextInt(100));
                }
                cluster.submit(random.nextInt(replicas), KEY, 1 + random.nextInt(3));
                cluster.deliverAll();
            }
            long fastPaths = 0;
            long slowPaths = 0;
            for (int replica = 0; replica < replicas; replica++)
            {
                fastPaths += cluster.node(replica).tempo.counters().fastPath;
                slowPaths += cluster.node(replica).tempo.counters().slowPath;
            }
            assertEquals(50, fastPaths, "N=" + replicas);
            assertEquals(0, slowPaths, "N=" + replicas);
        }
    }

    @Test
    void committedCommandsExecuteEverywhereInTimestampOrderOnceStable()
    {
        final TempoTestCluster cluster = new TempoTestCluster(3, 1);
        final long a = cluster.submit(0, KEY);
        final long b = cluster.submit(1, KEY);
        final long c = cluster.submit(2, KEY, 9);
        cluster.deliverAll();
        for (int replica = 0; replica < 3; replica++)
        {
            assertTrue(cluster.node(replica).executed.isEmpty(), "nothing is stable before promises travel");
        }
        cluster.settle(3);
        final List<Long> order = cluster.node(0).executed;
        assertEquals(3, order.size());
        for (int replica = 1; replica < 3; replica++)
        {
            assertEquals(order, cluster.node(replica).executed, "replica " + replica);
        }
        assertTrue(order.containsAll(List.of(a, b, c)));
        long previous = -1;
        for (final long dot : order)
        {
            final long timestamp = cluster.node(0).decided.get(dot);
            assertTrue(timestamp >= previous);
            previous = timestamp;
        }
    }

    @Test
    void lostPromisesAreRepairedByTheNextFullRefresh()
    {
        final TempoTestCluster cluster = new TempoTestCluster(3, 1);
        final long dot = cluster.submit(0, KEY);
        cluster.deliverAll();
        cluster.tick(1);
        cluster.drop(m -> m.templateId == TempoPromisesDecoder.TEMPLATE_ID);
        cluster.deliverAll();
        cluster.tick(1);
        cluster.drop(m -> m.templateId == TempoPromisesDecoder.TEMPLATE_ID); // nothing changed: nothing new either
        assertTrue(cluster.node(1).executed.isEmpty() && cluster.node(2).executed.isEmpty(),
            "without the peers' promises no replica sees a majority");
        cluster.settle(2); // past the full refresh interval
        for (int replica = 0; replica < 3; replica++)
        {
            assertEquals(List.of(dot), cluster.node(replica).executed, "replica " + replica);
        }
    }

    /** With more keys than one refresh sends, successive full refreshes take turns until every key went out. */
    @Test
    void fullRefreshesTakeTurnsThroughManyKeys()
    {
        final TempoTestCluster cluster = new TempoTestCluster(3, 1);
        final int keys = TempoPromisesSender.FULL_REFRESH_KEYS + 1000;
        for (long key = 0; key < keys; key++)
        {
            cluster.node(0).tempo.clocks.raise(key, 3);
        }
        cluster.tick(1);
        cluster.tick(1); // the changed keys went with the first refresh
        cluster.deliverAll();
        int known = 0;
        for (long key = 0; key < keys; key++)
        {
            known += cluster.node(1).tempo.promises.frontier(0, key) == 3 ? 1 : 0;
        }
        assertEquals(keys, known, "the first tick sends every changed key");
        cluster.node(2).restart(); // forgets nothing it needs: promises are not journaled; they are re-sent
        final TempoTestCluster.Node fresh = cluster.node(2);
        cluster.tick(TempoTestCluster.PHASE_TIMEOUT_NS / 4);
        cluster.deliverAll();
        cluster.tick(TempoTestCluster.PHASE_TIMEOUT_NS / 4);
        cluster.deliverAll();
        for (long key = 0; key < keys; key++)
        {
            assertEquals(3, fresh.tempo.promises.frontier(0, key), "key " + key);
        }
    }

    /** N=5, f=2: the coordinator decides on the fast path and crashes before any Commit leaves; recovery finds it. */
    @Test
    void fastTimestampSurvivesCoordinatorCrash()
    {
        final TempoTestCluster cluster = new TempoTestCluster(5, 2);
        cluster.node(1).tempo.clocks.raise(KEY, 10);
        cluster.node(2).tempo.clocks.raise(KEY, 10);
        final long dot = cluster.submit(0, KEY);
        cluster.deliverWhile(m -> m.templateId != TempoCommitDecoder.TEMPLATE_ID);
        assertEquals(1, cluster.node(0).tempo.counters().fastPath);
        assertEquals(11L, cluster.node(0).decided.get(dot));
        cluster.crashed.add(0);
        cluster.drop(m -> m.from == 0 || m.to == 0);

        cluster.node(3).tempo.startRecovery(dot);
        cluster.deliverAll();
        for (int replica = 1; replica < 5; replica++)
        {
            assertEquals(11L, cluster.node(replica).decided.get(dot), "replica " + replica);
        }
        cluster.settle(3);
        for (int replica = 1; replica < 5; replica++)
        {
            assertEquals(List.of(dot), cluster.node(replica).executed, "replica " + replica);
        }
    }

    @Test
    void recoveryWithoutPayloadCommitsNoOpAndUnblocksTheKey()
    {
        final TempoTestCluster cluster = new TempoTestCluster(3, 1);
        final long lost = cluster.submit(0, KEY);
        cluster.crashed.add(0);
        cluster.drop(m -> true);
        final long other = cluster.submit(1, KEY);
        cluster.deliverAll();
        cluster.node(2).tempo.startRecovery(lost);
        cluster.deliverAll();
        assertEquals(0L, cluster.node(1).decided.get(lost), "a no-op at timestamp 0");
        cluster.settle(12); // the other command's fast quorum included the crashed replica: it widens after 1 ms
        assertEquals(List.of(lost, other), cluster.node(1).executed);
        assertEquals(List.of(lost, other), cluster.node(2).executed);
    }

    /** A restarted replica rebuilds its clocks from its journal: it never proposes at or below what it promised. */
    @Test
    void restartNeverProposesBelowAPromise()
    {
        final TempoTestCluster cluster = new TempoTestCluster(3, 1);
        cluster.node(1).tempo.clocks.raise(KEY, 20);
        final long dot = cluster.submit(0, KEY);
        cluster.deliverWhile(m -> m.templateId == TempoProposeDecoder.TEMPLATE_ID);
        assertEquals(21, cluster.node(1).tempo.clockOf(KEY));
        cluster.node(1).restart();
        assertTrue(cluster.node(1).tempo.clockOf(KEY) >= 21, "the journaled proposal raises the clock again");
        cluster.deliverAll();
        assertEquals(21L, cluster.node(0).decided.get(dot));
        final long next = cluster.submit(1, KEY);
        cluster.deliverAll();
        assertTrue(cluster.node(1).decided.get(next) > 21);
    }

    @Test
    void malformedInputIsCountedAndDropped()
    {
        final TempoTestCluster cluster = new TempoTestCluster(3, 1);
        final Tempo tempo = cluster.node(0).tempo;
        tempo.onMessage(1, new UnsafeBuffer(new byte[] {1, 2, 3}), 0, 3);
        final byte[] truncated = new byte[12];
        new UnsafeBuffer(truncated).putShort(0, (short)TempoProposeDecoder.BLOCK_LENGTH);
        new UnsafeBuffer(truncated).putShort(2, (short)TempoProposeDecoder.TEMPLATE_ID);
        new UnsafeBuffer(truncated).putShort(4, (short)TempoProposeDecoder.SCHEMA_ID);
        tempo.onMessage(1, new UnsafeBuffer(truncated), 0, truncated.length);
        tempo.onMessage(7, new UnsafeBuffer(new byte[16]), 0, 16);
        assertEquals(3, tempo.counters().malformedDropped);
        assertEquals(0, tempo.instanceCount());
    }
}
