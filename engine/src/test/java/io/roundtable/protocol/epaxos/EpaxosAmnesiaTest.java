package io.roundtable.protocol.epaxos;

import io.roundtable.protocol.dependency.DependencyInstances;
import io.roundtable.codecs.AcceptOkDecoder;
import io.roundtable.codecs.PreAcceptOkDecoder;
import io.roundtable.codecs.PrepareOkDecoder;
import io.roundtable.codecs.TryPreAcceptReplyDecoder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EpaxosAmnesiaTest
{
    private static final long KEY = 3;
    private static final long STEP_NS = 1_000_000L;
    private static final long RECOVERY_NS = 20_000_000L;

    @Test
    void aReplicaThatLostItsJournalNeverVotesAgainButLearnsEveryDecision()
    {
        final EpaxosTestCluster cluster = new EpaxosTestCluster(3, RECOVERY_NS);
        final long before = cluster.submit(0, KEY, true);
        cluster.deliverAll();

        cluster.restartWithoutJournal(2, RECOVERY_NS);
        cluster.crash(1);
        final long during = cluster.submit(0, KEY, true);
        final List<EpaxosTestCluster.Message> votesByAmnesiac = new ArrayList<>();
        for (int step = 0; step < 20; step++)
        {
            cluster.nowNs += RECOVERY_NS;
            cluster.tickAll(cluster.nowNs);
            cluster.queue.stream().filter(m -> m.from == 2 && isVote(m)).forEach(votesByAmnesiac::add);
            cluster.deliverAll();
        }
        assertEquals(List.of(), votesByAmnesiac, "the amnesiac replica cast no vote");
        assertTrue(cluster.node(0).epaxos.statusOf(during) < DependencyInstances.COMMITTED,
            "with one replica down and one amnesiac there is no quorum: nothing is decided");
        assertThrows(IllegalStateException.class, () -> cluster.submit(2, KEY, true), "a learner coordinates nothing");

        cluster.crashed.remove(1); // the other replica comes back
        cluster.run(STEP_NS, cluster.nowNs + 40 * RECOVERY_NS);
        assertEquals(DependencyInstances.EXECUTED, cluster.node(0).epaxos.statusOf(during));
        assertEquals(cluster.node(0).executed, cluster.node(1).executed);
        assertTrue(cluster.node(2).executed.containsAll(List.of(before, during)),
            "the learner caught up on what it had forgotten and on what was decided since: " +
            cluster.node(2).executed);
    }

    private static boolean isVote(final EpaxosTestCluster.Message message)
    {
        return message.templateId == PreAcceptOkDecoder.TEMPLATE_ID || message.templateId == AcceptOkDecoder.TEMPLATE_ID ||
            message.templateId == PrepareOkDecoder.TEMPLATE_ID ||
            message.templateId == TryPreAcceptReplyDecoder.TEMPLATE_ID;
    }
}
