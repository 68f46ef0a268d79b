package io.roundtable.protocol.epaxos;

import io.roundtable.protocol.dependency.DependencyInstances;
import io.roundtable.codecs.AcceptDecoder;
import io.roundtable.codecs.CommitDecoder;
import io.roundtable.codecs.PreAcceptDecoder;
import io.roundtable.codecs.PreAcceptOkDecoder;
import io.roundtable.protocol.Dot;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EpaxosRecoveryTest
{
    private static final long KEY = 9;
    private static final long STEP_NS = 1_000_000L;
    private static final long RECOVERY_NS = 20_000_000L;

    /** Commits x on KEY at every replica, so later commands on KEY have a dependency to agree on. */
    private static long commitEverywhere(final EpaxosTestCluster cluster, final int coordinator)
    {
        final long x = cluster.submit(coordinator, KEY, true);
        cluster.deliverAll();
        return x;
    }

    @Test
    void fastCommitSurvivesCoordinatorCrashWithCommitLostPlusAnotherCrash()
    {
        final EpaxosTestCluster cluster = new EpaxosTestCluster(5, RECOVERY_NS);
        final long x = commitEverywhere(cluster, 4);
        final long a = cluster.submit(0, KEY, true); // fast quorum {0, 1, 2}
        cluster.deliverWhile(m -> m.templateId == PreAcceptDecoder.TEMPLATE_ID ||
            m.templateId == PreAcceptOkDecoder.TEMPLATE_ID);
        assertEquals(1, cluster.node(0).epaxos.counters().fastPath, "a committed on the fast path at its coordinator");
        final long[] decided = cluster.committedDeps.get(a);
        final int decidedSeq = cluster.committedSeq.get(a);

        cluster.queue.removeIf(m -> m.templateId == CommitDecoder.TEMPLATE_ID); // every Commit is lost
        cluster.crash(0);
        cluster.crash(1); // F-1 = 1 more: only replica 2 of the fast quorum survives

        cluster.run(STEP_NS, 10 * RECOVERY_NS);

        for (final int live : new int[] {2, 3, 4})
        {
            assertEquals(DependencyInstances.EXECUTED, cluster.node(live).epaxos.statusOf(a), "replica " + live);
        }
        assertArrayEquals(decided, cluster.committedDeps.get(a), "recovery re-commits the fast-path deps");
        assertEquals(decidedSeq, cluster.committedSeq.get(a), "and its seq");
        assertArrayEquals(new long[] {x}, decided);
        assertTrue(cluster.node(2).epaxos.counters().recoveries + cluster.node(3).epaxos.counters().recoveries +
            cluster.node(4).epaxos.counters().recoveries > 0);
    }

    @Test
    void recoveryKeepsTheTupleAcceptedAtTheHighestBallot()
    {
        final EpaxosTestCluster cluster = new EpaxosTestCluster(5, RECOVERY_NS);
        commitEverywhere(cluster, 4);
        // b reaches replica 1 before a does, so a's fast-quorum replies disagree and a goes to the slow path
        final long b = cluster.submit(3, KEY, true); // fast quorum {3, 4, 0}
        final EpaxosTestCluster.Message bToReplica1 = new EpaxosTestCluster.Message(3, 1,
            cluster.queue.get(0).bytes, 0);
        cluster.queue.clear();
        cluster.deliver(bToReplica1);
        cluster.queue.clear();
        final long a = cluster.submit(0, KEY, true); // fast quorum {0, 1, 2}
        cluster.deliverWhile(m -> m.templateId == PreAcceptDecoder.TEMPLATE_ID ||
            m.templateId == PreAcceptOkDecoder.TEMPLATE_ID);
        assertEquals(DependencyInstances.ACCEPTED, cluster.node(0).epaxos.statusOf(a));
        // the Accept reaches replica 1 only, then the coordinator crashes
        cluster.deliverWhile(m -> m.templateId == AcceptDecoder.TEMPLATE_ID && m.to == 1);
        cluster.crash(0);
        cluster.queue.clear();
        assertEquals(DependencyInstances.ACCEPTED, cluster.node(1).epaxos.statusOf(a));
        final DependencyInstances acceptor = cluster.node(1).epaxos.instances;
        final long[] acceptedTuple = Arrays.copyOf(acceptor.deps[acceptor.slotOf(a)].array(),
            acceptor.deps[acceptor.slotOf(a)].size());
        // y commits after a's Accept: a fresh Phase 1 for a would now depend on y, the accepted tuple does not
        final long y = cluster.submit(2, KEY, true); // fast quorum {2, 3, 4}
        cluster.deliverAll();
        assertEquals(DependencyInstances.COMMITTED, cluster.node(3).epaxos.statusOf(y),
            "y waits for a, which it depends on");

        cluster.run(STEP_NS, 20 * RECOVERY_NS);

        final long[] deps = cluster.committedDeps.get(a);
        assertNotNull(deps, "a is decided");
        for (final int live : new int[] {1, 2, 3, 4})
        {
            assertEquals(DependencyInstances.EXECUTED, cluster.node(live).epaxos.statusOf(a), "replica " + live);
            assertEquals(DependencyInstances.EXECUTED, cluster.node(live).epaxos.statusOf(b), "replica " + live);
        }
        assertArrayEquals(acceptedTuple, deps, "the tuple replica 1 accepted is the one recovered");
        assertTrue(Arrays.binarySearch(deps, b) >= 0 && Arrays.binarySearch(deps, y) < 0,
            "it has b, which only replica 1 had seen, and not y, which came later: " + Arrays.toString(deps));
        final java.util.List<Long> order = cluster.node(1).executed;
        for (final int live : new int[] {2, 3, 4})
        {
            assertEquals(order, cluster.node(live).executed, "same execution order at replica " + live);
        }
    }

    @Test
    void anInstanceNobodySawIsCommittedAsANoOpSoItsDependentsExecute()
    {
        final EpaxosTestCluster cluster = new EpaxosTestCluster(3, RECOVERY_NS);
        final long ghost = Dot.of(2, 1);
        // a commit that depends on an instance of replica 2 that no live replica ever received
        cluster.crash(2);
        cluster.injectCommit(0, Dot.of(1, 1), 1, new long[] {ghost}, KEY);
        cluster.injectCommit(0, 1, Dot.of(1, 1), 1, new long[] {ghost}, KEY);
        assertEquals(0, cluster.node(0).executed.size(), "blocked on the unknown dependency");

        cluster.run(STEP_NS, 10 * RECOVERY_NS);

        assertEquals(DependencyInstances.EXECUTED, cluster.node(0).epaxos.statusOf(ghost));
        assertEquals(java.util.List.of(ghost, Dot.of(1, 1)), cluster.node(0).executed);
        assertEquals(cluster.node(0).executed, cluster.node(1).executed);
        assertEquals(0, cluster.committedDeps.get(ghost).length, "a no-op depends on nothing");
    }

    @Test
    void competingRecoverersConvergeOnOneTuple()
    {
        final EpaxosTestCluster cluster = new EpaxosTestCluster(5, RECOVERY_NS);
        commitEverywhere(cluster, 1);
        final long a = cluster.submit(0, KEY, true);
        cluster.deliverWhile(m -> m.templateId == PreAcceptDecoder.TEMPLATE_ID && m.to == 1);
        cluster.crash(0);
        cluster.queue.clear();

        // every live replica times out together; ballots and back-off must sort them out
        cluster.run(STEP_NS / 2, 30 * RECOVERY_NS);

        final long[] deps = cluster.committedDeps.get(a);
        assertNotNull(deps);
        long recoveries = 0;
        for (final int live : new int[] {1, 2, 3, 4})
        {
            assertEquals(DependencyInstances.EXECUTED, cluster.node(live).epaxos.statusOf(a), "replica " + live);
            recoveries += cluster.node(live).epaxos.counters().recoveries;
        }
        assertTrue(recoveries >= 1);
        assertEquals(cluster.node(1).executed, cluster.node(2).executed);
        assertEquals(cluster.node(1).executed, cluster.node(3).executed);
        assertEquals(cluster.node(1).executed, cluster.node(4).executed);
    }

    @Test
    void aSlowCoordinatorsLateFastQuorumRepliesAgreeWithWhatRecoveryDecided()
    {
        final EpaxosTestCluster cluster = new EpaxosTestCluster(5, RECOVERY_NS);
        commitEverywhere(cluster, 3);
        final long a = cluster.submit(0, KEY, true);
        cluster.deliverWhile(m -> m.templateId == PreAcceptDecoder.TEMPLATE_ID);
        // hold replica 0's PreAcceptOks back while the others, cut off from it, recover a
        final java.util.List<EpaxosTestCluster.Message> held = new java.util.ArrayList<>();
        cluster.queue.removeIf(m -> m.templateId == PreAcceptOkDecoder.TEMPLATE_ID && held.add(m));
        for (int step = 1; step <= 20; step++)
        {
            cluster.nowNs += RECOVERY_NS;
            for (int id = 1; id < 5; id++)
            {
                cluster.node(id).epaxos.onTick(cluster.nowNs);
            }
            cluster.deliverWhile(m -> m.to != 0 && m.from != 0);
        }
        final long[] recovered = cluster.node(1).committed.get(a);
        assertNotNull(recovered, "the others decided a without its coordinator");
        for (int id = 2; id < 5; id++)
        {
            assertArrayEquals(recovered, cluster.node(id).committed.get(a), "replica " + id);
        }

        // the coordinator, which never promised the recovery ballot, now hears its whole fast quorum: its fast
        // path must commit exactly what recovery chose (the fast quorum's tuple), or not at all
        held.forEach(cluster::deliver);
        cluster.deliverAll();
        assertEquals(DependencyInstances.EXECUTED, cluster.node(0).epaxos.statusOf(a));
        assertArrayEquals(recovered, cluster.node(0).committed.get(a), "one tuple, whoever decided it");
        assertEquals(cluster.node(1).executed, cluster.node(0).executed);
    }
}
