package io.roundtable.protocol.paxos;

import io.roundtable.protocol.Ballot;
import org.junit.jupiter.api.Test;

import static io.roundtable.protocol.paxos.PaxosTestCluster.ACCEPT;
import static io.roundtable.protocol.paxos.PaxosTestCluster.ACCEPTED;
import static io.roundtable.protocol.paxos.PaxosTestCluster.FORWARD;
import static io.roundtable.protocol.paxos.PaxosTestCluster.NACK;
import static io.roundtable.protocol.paxos.PaxosTestCluster.PREPARE;
import static io.roundtable.protocol.paxos.PaxosTestCluster.PROMISE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Leader changes, step by step: what a new leader re-proposes, gaps, durable promises, forwarding, deposed leaders. */
final class PaxosRecoveryTest
{
    private static final long EMPTY = 0;

    @Test
    void newLeaderReproposesHighestAcceptedValue()
    {
        final PaxosTestCluster cluster = new PaxosTestCluster(5); // f = 2: phase 1 needs 3 promises, phase 2 3 accepts
        cluster.submit(0, 11); // position 1 = A
        cluster.submit(0, 12); // position 2 = B
        cluster.deliverWhile(m -> m.templateId == ACCEPT && m.position() == 1 && m.to == 1); // A accepted by 1 only
        cluster.deliverWhile(m -> m.templateId == ACCEPT && m.position() == 2 && m.to == 3); // B accepted by 3 only
        cluster.crash(0);
        cluster.queue.clear();

        // replica 2 leads with promises from 3 and 4: learns B in position 2, fills position 1 with a no-op at its
        // ballot; only replica 4 accepts that no-op before 2 crashes
        cluster.paxos(2).startElection();
        cluster.deliverWhile(m -> m.templateId == PREPARE && (m.to == 3 || m.to == 4));
        cluster.deliverWhile(m -> m.templateId == PROMISE);
        assertTrue(cluster.paxos(2).isLeading());
        cluster.deliverWhile(m -> m.templateId == ACCEPT && m.position() == 1 && m.to == 4);
        cluster.crash(2);
        cluster.queue.clear();

        // replica 3 leads with promises from 1 (A at ballot 0, delivered first) and 4 (no-op at the higher ballot)
        cluster.paxos(3).startElection();
        cluster.deliverWhile(m -> m.templateId == PREPARE && (m.to == 1 || m.to == 4));
        cluster.deliverWhile(m -> m.templateId == PROMISE && m.from == 1);
        cluster.deliverWhile(m -> m.templateId == PROMISE && m.from == 4);
        assertTrue(cluster.paxos(3).isLeading());
        cluster.deliverAll();

        for (final int replica : new int[] {1, 3, 4})
        {
            final PaxosTestCluster.Node node = cluster.node(replica);
            assertEquals(2, node.executed.size(), "replica " + replica + " executed " + node.executed);
            assertEquals(EMPTY, node.commandCountAt(1), "position 1 is the no-op accepted at the highest ballot");
            assertEquals(1, node.commandCountAt(2), "position 2 is B");
        }
        assertEquals(1, cluster.paxos(3).counters().recoveries);
        assertEquals(0, cluster.paxos(3).counters().fastPath);
    }

    @Test
    void aLongPromiseComesInPagesAndTheNewLeaderReproposesEveryValue()
    {
        final int pageBytes = 256;
        final int positions = 40;
        final PaxosTestCluster cluster = new PaxosTestCluster(3, pageBytes);
        for (int i = 0; i < positions; i++)
        {
            cluster.submit(0, 100 + i);
        }
        // replica 1 accepts every position; no Accepted gets back, so nothing is chosen
        cluster.deliverWhile(m -> m.templateId == ACCEPT && m.to == 1);
        cluster.crash(0);
        cluster.queue.clear();

        // replica 2 knows nothing: replica 1's Promise must carry all 40 values, a few per page
        final int[] promisePages = new int[1];
        final int[] longest = new int[1];
        cluster.paxos(2).startElection();
        cluster.deliverWhile(m ->
        {
            if (m.templateId == PROMISE)
            {
                promisePages[0]++;
                longest[0] = Math.max(longest[0], m.bytes.length);
            }
            return true;
        });

        assertTrue(cluster.paxos(2).isLeading());
        assertTrue(promisePages[0] > 5, "paged: " + promisePages[0] + " Promise messages");
        assertTrue(longest[0] <= pageBytes, "every page within " + pageBytes + " bytes, longest " + longest[0]);
        for (final int replica : new int[] {1, 2})
        {
            final PaxosTestCluster.Node node = cluster.node(replica);
            assertEquals(positions, node.executed.size(), "replica " + replica + " executed " + node.executed);
            for (long position = 1; position <= positions; position++)
            {
                assertEquals(1, node.commandCountAt(position), "position " + position + " keeps its accepted value");
            }
        }
    }

    @Test
    void gapsBecomeNoOps()
    {
        final PaxosTestCluster cluster = new PaxosTestCluster(3);
        cluster.submit(0, 1);
        cluster.submit(0, 2);
        cluster.submit(0, 3);
        // positions 1 and 3 reach replica 1; position 2 is lost everywhere; nothing is chosen
        cluster.deliverWhile(m -> m.templateId == ACCEPT && m.to == 1 && m.position() != 2);
        cluster.crash(0);
        cluster.queue.clear();
        assertEquals(0, cluster.node(1).executed.size());

        cluster.paxos(1).startElection();
        cluster.deliverAll();

        assertTrue(cluster.paxos(1).isLeading());
        for (final int replica : new int[] {1, 2})
        {
            final PaxosTestCluster.Node node = cluster.node(replica);
            assertEquals(java.util.List.of(1L, 2L, 3L), node.executed, "replica " + replica);
            assertEquals(1, node.commandCountAt(1));
            assertEquals(EMPTY, node.commandCountAt(2), "the gap executes as nothing");
            assertEquals(1, node.commandCountAt(3));
        }

        // the new leader numbers new batches after the highest position it re-proposed
        cluster.submit(1, 4);
        cluster.deliverAll();
        assertEquals(4L, cluster.node(2).executed.get(3));
    }

    @Test
    void promiseSurvivesRestart()
    {
        final PaxosTestCluster cluster = new PaxosTestCluster(3);
        cluster.paxos(2).startElection();
        final long candidateBallot = cluster.paxos(2).promisedBallot();
        final int journaledBefore = cluster.journals.get(1).size();
        cluster.deliverWhile(m -> m.templateId == PREPARE && m.to == 1);
        // killed between the journal append and the reply: the Promise never leaves
        assertEquals(journaledBefore + 1, cluster.journals.get(1).size(), "the promise is journaled before it is sent");
        assertEquals(1, cluster.drop(m -> m.templateId == PROMISE && m.from == 1));
        cluster.restart(1);
        assertEquals(candidateBallot, cluster.paxos(1).promisedBallot(), "the promise survives the restart");

        // the old leader's ballot is below the promise: replica 1 must refuse it, so it cannot help choose anything
        cluster.drop(m -> m.templateId == PREPARE);
        cluster.submit(0, 5);
        cluster.deliverWhile(m -> m.templateId == ACCEPT && m.to == 1);
        assertEquals(0, cluster.countQueued(m -> m.templateId == ACCEPTED && m.from == 1));
        assertEquals(1, cluster.countQueued(m -> m.templateId == NACK && m.from == 1));
        assertEquals(0, cluster.node(0).executed.size());

        // the refusal reached the journal-less view of nobody: a second restart still holds the promise
        cluster.restart(1);
        assertEquals(candidateBallot, cluster.paxos(1).promisedBallot());
    }

    @Test
    void followerForwardsToLeader()
    {
        final PaxosTestCluster cluster = new PaxosTestCluster(3);
        cluster.submit(2, 9);
        assertEquals(1, cluster.countQueued(m -> m.templateId == FORWARD && m.from == 2 && m.to == 0));
        assertEquals(0, cluster.countQueued(m -> m.templateId == ACCEPT));
        cluster.deliverAll();

        for (int replica = 0; replica < 3; replica++)
        {
            assertEquals(java.util.List.of(1L), cluster.node(replica).executed, "replica " + replica);
        }
        assertEquals(0, cluster.paxos(2).counters().proposed);
        assertEquals(1, cluster.paxos(0).counters().proposed);
        assertEquals(1, cluster.paxos(0).counters().slowPath);
    }

    @Test
    void deposedLeaderStepsDownOnNack()
    {
        final PaxosTestCluster cluster = new PaxosTestCluster(3);
        cluster.paxos(1).startElection();
        cluster.drop(m -> m.templateId == PREPARE && m.to == 0); // replica 0 never hears of the election
        cluster.deliverAll();
        assertTrue(cluster.paxos(1).isLeading());
        assertTrue(cluster.paxos(0).isLeading(), "replica 0 still believes it leads");

        cluster.submit(0, 3);
        cluster.deliverAll();
        assertFalse(cluster.paxos(0).isLeading(), "the Nacks depose it");
        assertEquals(0, cluster.node(0).executed.size(), "nothing the deposed leader proposed was chosen");
        assertEquals(1, Ballot.replica(cluster.paxos(0).promisedBallot()), "it now knows who leads");

        cluster.submit(0, 4); // forwarded to the new leader
        cluster.deliverAll();
        for (int replica = 0; replica < 3; replica++)
        {
            assertEquals(1, cluster.node(replica).executed.size(), "replica " + replica);
            assertEquals(1, cluster.node(replica).commandCountAt(1));
        }
    }

    @Test
    void leaderCrashLetsNextReplicaTakeOverOnTimeout()
    {
        final PaxosTestCluster cluster = new PaxosTestCluster(5);
        cluster.run(100_000L, 5_000_000L);
        cluster.submit(0, 1);
        cluster.run(100_000L, 2_000_000L);
        cluster.crash(0);
        cluster.run(100_000L, 20_000_000L);
        assertTrue(cluster.paxos(1).isLeading(), "the rank stagger makes the replica after the lost leader win");
        for (int replica = 2; replica < 5; replica++)
        {
            assertEquals(0, cluster.paxos(replica).counters().recoveries, "replica " + replica + " did not campaign");
        }
        cluster.submit(3, 2);
        cluster.run(100_000L, 5_000_000L);
        for (int replica = 1; replica < 5; replica++)
        {
            assertEquals(2, cluster.node(replica).executed.size(), "replica " + replica);
        }
    }

    @Test
    void laggingCandidateSkipsChosenPrefixAndLearnsItByCatchUp()
    {
        final PaxosTestCluster cluster = new PaxosTestCluster(3);
        cluster.submit(0, 1);
        cluster.submit(0, 2);
        cluster.submit(0, 3);
        cluster.drop(m -> m.to == 2); // replica 2 misses all three
        cluster.deliverWhile(m -> m.to != 2);
        cluster.drop(m -> m.to == 2);
        assertEquals(3, cluster.node(1).executed.size());
        assertEquals(0, cluster.node(2).executed.size());
        cluster.crash(0);

        cluster.paxos(2).startElection();
        cluster.deliverWhile(m -> m.templateId == PREPARE);
        final PaxosTestCluster.Message promise = cluster.queue.stream()
            .filter(m -> m.templateId == PROMISE).findFirst().orElseThrow();
        assertTrue(promise.bytes.length < 40, "a chosen prefix travels as a number, not as values: " +
            promise.bytes.length + " bytes");
        cluster.deliverAll();
        assertTrue(cluster.paxos(2).isLeading());
        assertEquals(0, cluster.countQueued(m -> m.templateId == ACCEPT), "nothing chosen is proposed again");

        cluster.submit(2, 4); // numbered after the reported chosen prefix
        cluster.run(100_000L, 3 * PaxosTestCluster.PHASE_TIMEOUT_NS); // Progress rounds bring 1..3 to replica 2
        assertEquals(java.util.List.of(1L, 2L, 3L, 4L), cluster.node(2).executed);
        assertEquals(java.util.List.of(1L, 2L, 3L, 4L), cluster.node(1).executed);
    }

    @Test
    void positionsExecutedEverywhereAreCollectedAndADownReplicaHoldsThemBack()
    {
        final PaxosTestCluster cluster = new PaxosTestCluster(3);
        cluster.crash(2);
        for (int i = 0; i < 200; i++)
        {
            cluster.submit(i % 2, i);
            cluster.deliverAll();
        }
        cluster.run(100_000L, 3 * PaxosTestCluster.PHASE_TIMEOUT_NS);
        assertEquals(200, cluster.node(0).executed.size());
        assertEquals(200, cluster.paxos(0).positionCount(), "replica 2 has executed nothing: nothing is collected");

        cluster.restart(2);
        cluster.run(100_000L, 5 * PaxosTestCluster.PHASE_TIMEOUT_NS);
        assertEquals(200, cluster.node(2).executed.size(), "caught up by Progress rounds");
        for (int replica = 0; replica < 3; replica++)
        {
            assertEquals(0, cluster.paxos(replica).positionCount(), "replica " + replica + " collected everything");
        }
    }

    @Test
    void forwardedBatchDiesWithItsLeaderAndTheClientsResubmissionIsExecuted()
    {
        final PaxosTestCluster cluster = new PaxosTestCluster(3);
        cluster.submit(2, 8);
        assertEquals(1, cluster.countQueued(m -> m.templateId == FORWARD));
        cluster.crash(0); // the Forward dies with the leader
        cluster.run(100_000L, 10 * PaxosTestCluster.PHASE_TIMEOUT_NS);
        assertTrue(cluster.paxos(1).isLeading());
        assertEquals(0, cluster.node(2).executed.size(), "the forwarded batch is gone");

        cluster.submit(2, 8); // the client's re-send (the state machine de-duplicates if both ever execute)
        cluster.run(100_000L, PaxosTestCluster.PHASE_TIMEOUT_NS);
        assertEquals(1, cluster.node(2).executed.size());
        assertEquals(1, cluster.node(2).commandCountAt(1));
    }
}
