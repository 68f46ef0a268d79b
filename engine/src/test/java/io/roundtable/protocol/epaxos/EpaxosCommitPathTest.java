package io.roundtable.protocol.epaxos;

import io.roundtable.protocol.dependency.DependencyInstances;
import io.roundtable.codecs.CommitDecoder;
import io.roundtable.codecs.PreAcceptDecoder;
import io.roundtable.codecs.PreAcceptOkDecoder;
import io.roundtable.protocol.Dot;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EpaxosCommitPathTest
{
    private static final long KEY = 42;

    @Test
    void aLoneCommandCommitsOnTheFastPathAndExecutesEverywhere()
    {
        final EpaxosTestCluster cluster = new EpaxosTestCluster(5);
        final long a = cluster.submit(0, KEY, true);

        assertEquals(2, cluster.countQueued(m -> m.templateId == PreAcceptDecoder.TEMPLATE_ID),
            "thrifty: PreAccept goes to the F + floor((F+1)/2) - 1 = 2 closest peers only");
        cluster.deliverAll();

        assertEquals(1, cluster.node(0).epaxos.counters().fastPath);
        for (final EpaxosTestCluster.Node node : cluster.nodes)
        {
            assertEquals(java.util.List.of(a), node.executed, "replica " + node.id);
        }
    }

    @Test
    void concurrentConflictingCommandsAtTwoCoordinatorsTakeTheSlowPathWithUnionedDepsAndExecuteInOneOrder()
    {
        final EpaxosTestCluster cluster = new EpaxosTestCluster(5);
        final long a = cluster.submit(0, KEY, true); // fast quorum {0, 1, 2}
        final long b = cluster.submit(1, KEY, true); // fast quorum {1, 2, 3}
        cluster.deliverAll();

        // replica 1 saw b before a and replica 2 saw a before b: the replies disagree, so both go slow
        assertEquals(0, cluster.node(0).epaxos.counters().fastPath);
        assertEquals(1, cluster.node(0).epaxos.counters().slowPath);
        assertEquals(1, cluster.node(1).epaxos.counters().slowPath);
        assertArrayEquals(new long[] {b}, cluster.committedDeps.get(a), "a's deps are the union of its replies");
        assertArrayEquals(new long[] {a}, cluster.committedDeps.get(b), "b's deps are the union of its replies");
        for (final EpaxosTestCluster.Node node : cluster.nodes)
        {
            // each replica committed a (deps {b}) and b (deps {a}): 2 dependencies, at most 1 per instance
            assertEquals(2, node.epaxos.counters().dependencies, "dependencies counted at replica " + node.id);
            assertEquals(1, node.epaxos.counters().dependenciesMax, "most dependencies at replica " + node.id);
        }

        final java.util.List<Long> reference = cluster.node(0).executed;
        assertEquals(2, reference.size());
        for (final EpaxosTestCluster.Node node : cluster.nodes)
        {
            assertEquals(reference, node.executed, "the a/b cycle is broken the same way at replica " + node.id);
        }
    }

    @Test
    void threeReplicasCommitEveryConflictingCommandOnTheFastPathEvenWhenTheCoordinatorKnowsLess()
    {
        final EpaxosTestCluster cluster = new EpaxosTestCluster(3);
        int submitted = 0;
        for (int round = 0; round < 30; round++)
        {
            final int coordinator = round % 3;
            cluster.submit(coordinator, KEY, round % 4 != 0);
            submitted++;
            // hold back the Commit to the replica that coordinates next, so its own view is stale when it proposes
            final int next = (round + 1) % 3;
            cluster.deliverWhile(m -> !(m.templateId == CommitDecoder.TEMPLATE_ID && m.to == next));
        }
        cluster.deliverAll();

        long fast = 0;
        long slow = 0;
        for (final EpaxosTestCluster.Node node : cluster.nodes)
        {
            fast += node.epaxos.counters().fastPath;
            slow += node.epaxos.counters().slowPath;
        }
        assertEquals(submitted, fast, "N=3: the fast quorum has one acceptor, whose reply is trivially unanimous");
        assertEquals(0, slow);
        assertEquals(cluster.node(0).executed, cluster.node(1).executed);
        assertEquals(cluster.node(0).executed, cluster.node(2).executed);
    }

    @Test
    void fiveReplicasWaitForBothFastQuorumRepliesAndOneDifferingReplyForcesTheSlowPath()
    {
        assertBoundary(5, 2);
    }

    @Test
    void sevenReplicasWaitForAllFourFastQuorumRepliesAndOneDifferingReplyForcesTheSlowPath()
    {
        assertBoundary(7, 4);
    }

    /**
     * A committed conflicting command x is known to exactly one member of replica 0's fast quorum (the last one):
     * that member's reply differs, so the coordinator must not decide before it and must then go slow. Without x,
     * the same schedule commits fast.
     */
    private static void assertBoundary(final int replicaCount, final int fastQuorumPeers)
    {
        for (final boolean oneDiffers : new boolean[] {false, true})
        {
            final EpaxosTestCluster cluster = new EpaxosTestCluster(replicaCount);
            final int lastFastPeer = fastQuorumPeers; // ring preference: peers 1..fastQuorumPeers
            final long x = Dot.of(replicaCount - 1, 1);
            if (oneDiffers)
            {
                cluster.injectCommit(lastFastPeer, x, 1, new long[0], KEY);
            }
            final long a = cluster.submit(0, KEY, true);
            assertEquals(fastQuorumPeers, cluster.countQueued(m -> m.templateId == PreAcceptDecoder.TEMPLATE_ID));

            cluster.deliverWhile(m -> m.templateId == PreAcceptDecoder.TEMPLATE_ID);
            for (int peer = 1; peer <= fastQuorumPeers; peer++)
            {
                final int from = peer;
                final boolean last = peer == fastQuorumPeers;
                assertEquals(DependencyInstances.PRE_ACCEPTED, cluster.node(0).epaxos.statusOf(a),
                    "no decision before reply " + peer + " of " + fastQuorumPeers);
                cluster.deliverWhile(m -> m.templateId == PreAcceptOkDecoder.TEMPLATE_ID && m.from == from);
                if (!last)
                {
                    assertEquals(0, cluster.node(0).epaxos.counters().fastPath + cluster.node(0).epaxos.counters().slowPath);
                }
            }
            cluster.deliverAll();
            final EpaxosTestCluster.Node coordinator = cluster.node(0);
            if (oneDiffers)
            {
                assertEquals(0, coordinator.epaxos.counters().fastPath, "N=" + replicaCount);
                assertEquals(1, coordinator.epaxos.counters().slowPath, "N=" + replicaCount);
                assertArrayEquals(new long[] {x}, cluster.committedDeps.get(a));
            }
            else
            {
                assertEquals(1, coordinator.epaxos.counters().fastPath, "N=" + replicaCount);
                assertEquals(0, coordinator.epaxos.counters().slowPath, "N=" + replicaCount);
                assertArrayEquals(new long[0], cluster.committedDeps.get(a));
            }
        }
    }

    @Test
    void aCommitArrivingBeforeItsPreAcceptIsKeptAndTheLatePreAcceptChangesNothing()
    {
        final EpaxosTestCluster cluster = new EpaxosTestCluster(5);
        final long a = cluster.submit(0, KEY, true);
        // replica 2's PreAccept is held back; replica 1 answers and... the coordinator waits for 2. Let 2 answer
        // from a duplicate path: deliver everything except the PreAccept to 2 after letting its reply through once.
        cluster.deliverWhile(m -> m.templateId == PreAcceptDecoder.TEMPLATE_ID && m.to == 1);
        cluster.deliverWhile(m -> m.templateId == PreAcceptOkDecoder.TEMPLATE_ID);
        // replica 0 still needs replica 2: it times out and widens to replicas 2, 3, 4, then decides on a majority
        cluster.tickAll(10_000_000L);
        cluster.deliverWhile(m -> m.templateId == PreAcceptDecoder.TEMPLATE_ID && m.to != 2);
        cluster.deliverWhile(m -> m.templateId != PreAcceptDecoder.TEMPLATE_ID);
        assertEquals(DependencyInstances.EXECUTED, cluster.node(2).epaxos.statusOf(a), "replica 2 learnt a from its Commit");
        assertEquals(java.util.List.of(a), cluster.node(2).executed);

        final long nacksBefore = cluster.node(2).epaxos.counters().nacksSent;
        final long latePreAccepts = cluster.countQueued(m -> m.templateId == PreAcceptDecoder.TEMPLATE_ID && m.to == 2);
        assertTrue(latePreAccepts > 0);
        cluster.deliverWhile(m -> m.templateId == PreAcceptDecoder.TEMPLATE_ID && m.to == 2);
        assertEquals(0, cluster.countQueued(m -> m.templateId == PreAcceptOkDecoder.TEMPLATE_ID),
            "a decided instance casts no vote");
        assertEquals(latePreAccepts, cluster.countQueued(m -> m.templateId == CommitDecoder.TEMPLATE_ID && m.from == 2),
            "each late PreAccept is answered with the Commit, so its sender learns the decision");
        assertEquals(nacksBefore, cluster.node(2).epaxos.counters().nacksSent);
        assertEquals(DependencyInstances.EXECUTED, cluster.node(2).epaxos.statusOf(a));
        assertEquals(java.util.List.of(a), cluster.node(2).executed, "executed exactly once");
    }

    @Test
    void everyVoteIsJournaledBeforeTheMessageRevealingItIsSent()
    {
        final EpaxosTestCluster cluster = new EpaxosTestCluster(5);
        cluster.submit(0, KEY, true);
        cluster.submit(1, KEY, true);
        cluster.submit(3, KEY + 1, false);
        final java.util.List<EpaxosTestCluster.Message> sent = new java.util.ArrayList<>();
        while (!cluster.queue.isEmpty())
        {
            final EpaxosTestCluster.Message message = cluster.queue.remove(0);
            sent.add(message);
            cluster.deliver(message);
        }
        for (final EpaxosTestCluster.Message message : sent)
        {
            final EpaxosTestCluster.Node sender = cluster.node(message.from);
            final java.util.List<Long> journaledBeforeSend = sender.journaledDots.subList(0, message.journalRecordsAtSend);
            assertTrue(journaledBeforeSend.contains(message.dot),
                "replica " + message.from + " sent " + message + " before journaling the instance");
        }
    }

    @Test
    void duplicatedPreAcceptGetsTheSameVoteAndIsCountedOnce()
    {
        final EpaxosTestCluster cluster = new EpaxosTestCluster(5);
        final long a = cluster.submit(0, KEY, true);
        final EpaxosTestCluster.Message toReplica1 = cluster.queue.stream()
            .filter(m -> m.to == 1).findFirst().orElseThrow();
        cluster.deliver(toReplica1); // a duplicate copy delivered first
        cluster.deliverAll();
        assertEquals(1, cluster.node(0).epaxos.counters().fastPath);
        assertEquals(DependencyInstances.EXECUTED, cluster.node(1).epaxos.statusOf(a));
    }
}
