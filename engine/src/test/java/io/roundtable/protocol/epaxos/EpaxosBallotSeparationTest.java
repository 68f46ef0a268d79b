package io.roundtable.protocol.epaxos;

import io.roundtable.protocol.dependency.DependencyInstances;
import io.roundtable.codecs.MessageHeaderDecoder;
import io.roundtable.codecs.PrepareOkDecoder;
import io.roundtable.codecs.PrepareDecoder;
import io.roundtable.protocol.Ballot;
import io.roundtable.protocol.Dot;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sutra, "On the correctness of Egalitarian Paxos" (arXiv 1906.10917): with one ballot variable per instance, a
 * replica's answer to Prepare cannot say in which ballot it voted, because promising the new ballot overwrote it; a
 * recoverer then cannot tell a stale vote from the value chosen in a later ballot and may commit the stale one.
 * Here one replica voted T1 in ballot 1, a majority later voted T2 in ballot 2 (so T2 is chosen and committed), and a
 * recoverer hears the stale voter first. With the accepted ballot kept apart from the promise (as Roundtable does)
 * the recoverer re-commits T2; replaying the same schedule with the replies a merged-variable implementation would
 * send (accepted ballot = the ballot just promised) makes it commit T1 instead: two replicas disagree.
 *
 * <p>This replays the counterexample's mechanism on Roundtable's messages rather than the TLC trace step by step:
 * the trace's actions are those of the TLA+ spec's recovery, which Roundtable's differs from.
 */
class EpaxosBallotSeparationTest
{
    private static final long KEY = 5;

    @Test
    void recoveryRecommitsTheValueChosenInTheLaterBallot()
    {
        final Outcome outcome = replay(false);
        assertArrayEquals(outcome.chosen, outcome.recovered, "the recoverer commits what was chosen");
    }

    @Test
    void mergingPromisedAndAcceptedBallotsLetsRecoveryCommitAStaleValue()
    {
        final Outcome outcome = replay(true);
        assertFalse(java.util.Arrays.equals(outcome.chosen, outcome.recovered),
            "with merged ballots the stale vote wins and replicas disagree on the instance");
    }

    private static final class Outcome
    {
        long[] chosen;
        long[] recovered;
    }

    private static Outcome replay(final boolean mergedBallots)
    {
        final EpaxosTestCluster cluster = new EpaxosTestCluster(5, Long.MAX_VALUE / 4);
        final long gamma = Dot.of(0, 1);           // coordinator 0 crashed before anyone heard of it
        final long t1Dep = Dot.of(3, 1);
        final long ballot1 = Ballot.of(0, 1, 3);
        final long ballot2 = Ballot.of(0, 2, 4);
        cluster.crash(0);

        // ballot 1 (led by replica 3) reached only replica 1 with T1 = deps {3.1}
        cluster.injectAccept(3, 1, ballot1, gamma, 2, new long[] {t1Dep}, KEY);
        // ballot 2 (led by replica 4) reached replicas 2, 3, 4 with T2 = no deps: chosen, and committed at 2
        for (final int acceptor : new int[] {2, 3})
        {
            cluster.injectAccept(4, acceptor, ballot2, gamma, 1, new long[0], KEY);
        }
        cluster.queue.clear(); // AcceptOks to the ballot-2 leader, which then crashes too
        cluster.injectCommit(4, 2, gamma, 1, new long[0], KEY);
        final Outcome outcome = new Outcome();
        outcome.chosen = cluster.node(2).committed.get(gamma);
        assertArrayEquals(new long[0], outcome.chosen);

        // replica 4 recovers gamma; its first ballot is below ballot 2, so replica 3 refuses it and it retries higher
        cluster.crash(2);
        cluster.node(4).epaxos.startRecovery(gamma);
        cluster.deliverWhile(m -> m.to == 4 || (m.templateId == PrepareDecoder.TEMPLATE_ID && m.to == 3));
        cluster.queue.clear();
        cluster.node(4).epaxos.startRecovery(gamma);
        // its Prepare reaches replicas 1 and 3, and replica 1 (the stale voter) answers first
        cluster.deliverWhile(m -> m.templateId == PrepareDecoder.TEMPLATE_ID && (m.to == 1 || m.to == 3));
        for (final int replier : new int[] {1, 3})
        {
            final EpaxosTestCluster.Message reply = cluster.queue.stream()
                .filter(m -> m.templateId == PrepareOkDecoder.TEMPLATE_ID && m.from == replier)
                .findFirst().orElseThrow();
            cluster.queue.remove(reply);
            if (mergedBallots)
            {
                reportPromiseAsAcceptedBallot(reply.bytes);
            }
            cluster.deliver(reply);
        }
        cluster.deliverWhile(m -> m.to != 2);
        outcome.recovered = cluster.node(4).committed.get(gamma);
        assertTrue(cluster.node(4).epaxos.statusOf(gamma) >= DependencyInstances.COMMITTED, "the recoverer decided");
        return outcome;
    }

    /** What a single-ballot implementation answers: the one variable already holds the ballot being promised. */
    private static void reportPromiseAsAcceptedBallot(final byte[] prepareOk)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(prepareOk);
        final int body = MessageHeaderDecoder.ENCODED_LENGTH;
        final PrepareOkDecoder decoder = new PrepareOkDecoder().wrap(buffer, body,
            PrepareOkDecoder.BLOCK_LENGTH, PrepareOkDecoder.SCHEMA_VERSION);
        buffer.putLong(body + PrepareOkDecoder.acceptedBallotEncodingOffset(), decoder.ballot(),
            java.nio.ByteOrder.LITTLE_ENDIAN);
    }
}
