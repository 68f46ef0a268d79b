package io.roundtable.protocol;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeerRankingTest
{
    private static final long MS = 1_000_000L;

    @Test
    void aTickOfJitterDoesNotReorderPeers()
    {
        final PeerRanking ranking = new PeerRanking(0, new int[] {1, 2, 3, 4}, 2);
        long now = warmedUp(ranking);
        for (int i = 0; i < 10_000; i++)
        {
            for (int peer = 1; peer <= 4; peer++)
            {
                ranking.onReply(peer, ((i + peer) % 2) * MS);
            }
            ranking.onTick(now += MS);
        }
        assertEquals(1, ranking.peers()[0]);
        assertEquals(2, ranking.peers()[1]);
        assertEquals(0b111, ranking.thriftyQuorumMask());
        assertEquals(0, ranking.reranks());
    }

    @Test
    void routesAroundAStragglerAndTriesItAgainLater()
    {
        final long[] replyMs = {0, 20, 1};
        final PeerRanking ranking = new PeerRanking(0, new int[] {1, 2}, 1);
        long now = warmedUp(ranking);
        for (int i = 0; i < 50; i++)
        {
            ranking.onReply(ranking.peers()[0], replyMs[ranking.peers()[0]] * MS);
            ranking.onTick(now += MS);
        }
        assertArrayEquals(new int[] {2, 1}, ranking.peers(), "replica 1 straggles");
        assertEquals(0b101, ranking.thriftyQuorumMask());

        replyMs[1] = 1; // it recovers: unasked, its estimate decays until it is tried, and then it stays
        int tickOfReturn = -1;
        for (int i = 0; i < 120_000 && tickOfReturn < 0; i++)
        {
            ranking.onReply(ranking.peers()[0], replyMs[ranking.peers()[0]] * MS);
            ranking.onTick(now += MS);
            tickOfReturn = ranking.peers()[0] == 1 ? i : -1;
        }
        final int returned = tickOfReturn;
        assertTrue(returned > 10_000 && returned < 60_000, () -> "retried after " + returned + " ms");
        replyMs[2] = 1;
        for (int i = 0; i < 10_000; i++)
        {
            ranking.onReply(ranking.peers()[0], replyMs[ranking.peers()[0]] * MS);
            ranking.onTick(now += MS);
        }
        assertEquals(1, ranking.peers()[0], "equal now: no reason to move");
    }

    @Test
    void aFarPeerIsRetriedRarely()
    {
        final PeerRanking ranking = new PeerRanking(0, new int[] {1, 2}, 1);
        ranking.onReply(1, 70 * MS);
        ranking.onReply(2, 150 * MS);
        long now = warmedUp(ranking);
        int retries = 0;
        for (int i = 0; i < 600_000; i++) // 10 minutes of 1 ms ticks
        {
            ranking.onReply(ranking.peers()[0], ranking.peers()[0] == 1 ? 70 * MS : 150 * MS);
            final int before = ranking.peers()[0];
            ranking.onTick(now += MS);
            retries += before == 1 && ranking.peers()[0] == 2 ? 1 : 0;
        }
        final int retried = retries;
        assertTrue(retried >= 1 && retried <= 6, () -> "the far peer was retried " + retried + " times");
    }

    @Test
    void oneSlowReplyIsForgottenSoon()
    {
        final PeerRanking ranking = new PeerRanking(0, new int[] {1, 2}, 1);
        ranking.onReply(1, 180 * MS);
        ranking.onReply(2, 230 * MS);
        ranking.onReply(1, 900 * MS); // one outlier, e.g. while the JIT warms up
        long now = warmedUp(ranking);
        ranking.onTick(now += MS);
        assertEquals(2, ranking.peers()[0]);
        for (int i = 0; i < 5_000 && ranking.peers()[0] != 1; i++)
        {
            ranking.onReply(ranking.peers()[0], ranking.peers()[0] == 1 ? 180 * MS : 230 * MS);
            ranking.onTick(now += MS);
        }
        assertEquals(1, ranking.peers()[0], "back to the peer that is 50 ms nearer within 5 s");
    }

    @Test
    void nearEqualPeersKeepTheirOrderUnderQueueingNoise()
    {
        final PeerRanking ranking = new PeerRanking(0, new int[] {1, 2, 3}, 2);
        long now = warmedUp(ranking);
        for (int i = 0; i < 60_000; i++)
        {
            ranking.onReply(1, (77 + i % 7) * MS);
            ranking.onReply(2, (181 + i % 9) * MS); // loaded: replies run up to 8 ms over the link's best
            ranking.onReply(3, 187 * MS);
            ranking.onTick(now += MS);
        }
        assertArrayEquals(new int[] {1, 2, 3}, ranking.peers());
    }

    @Test
    void aPeerThatNeverAnswersLeavesTheQuorum()
    {
        final PeerRanking ranking = new PeerRanking(2, new int[] {0, 1, 3, 4}, 2);
        long now = warmedUp(ranking);
        for (int i = 0; i < 10; i++)
        {
            ranking.onNoReply(0, 50 * MS);
            ranking.onReply(1, MS);
            ranking.onReply(3, 2 * MS);
            ranking.onTick(now += MS);
        }
        assertArrayEquals(new int[] {1, 3, 4, 0}, ranking.peers(), "4, never measured, counts as 0: it passes 0");
        assertEquals((1L << 2) | (1L << 1) | (1L << 3), ranking.thriftyQuorumMask());
    }

    @Test
    void ignoresRepliesItCannotPlace()
    {
        final PeerRanking ranking = new PeerRanking(0, new int[] {1, 2}, 1);
        warmedUp(ranking);
        ranking.onReply(0, 100 * MS);
        ranking.onReply(7, 100 * MS);
        ranking.onReply(-1, 100 * MS);
        ranking.onReply(1, -5);
        ranking.onTick(PeerRanking.WARM_UP_NS + MS);
        assertEquals(0, ranking.replyNs(1));
        assertArrayEquals(new int[] {1, 2}, ranking.peers());
        assertThrows(IllegalArgumentException.class, () -> new PeerRanking(0, new int[] {1, 2}, 3));
    }

    @Test
    void afterABlindFirstTryNearEqualPeersFallBackToTheConfiguredOrder()
    {
        final PeerRanking ranking = new PeerRanking(4, new int[] {3, 1, 0, 2}, 2);
        long now = warmedUp(ranking);
        ranking.onReply(3, 77 * MS);
        ranking.onReply(1, 181 * MS);
        ranking.onTick(now += MS);
        assertEquals((1L << 4) | (1L << 0) | (1L << 2), ranking.thriftyQuorumMask(), "0 and 2, never measured, tried");
        ranking.onReply(0, 236 * MS);
        ranking.onReply(2, 187 * MS);
        ranking.onTick(now += MS);
        assertArrayEquals(new int[] {3, 1, 2, 0}, ranking.peers(), "181 vs 187 ms too close to leave the preference; 236 not");
    }

    @Test
    void doesNotReRankWhileWarmingUp()
    {
        final PeerRanking ranking = new PeerRanking(0, new int[] {1, 2}, 1);
        ranking.onTick(0);
        ranking.onReply(1, 900 * MS); // the JIT is compiling
        for (long now = MS; now < PeerRanking.WARM_UP_NS; now += MS)
        {
            ranking.onTick(now);
        }
        assertArrayEquals(new int[] {1, 2}, ranking.peers());
        ranking.onTick(PeerRanking.WARM_UP_NS);
        assertArrayEquals(new int[] {2, 1}, ranking.peers(), "then 1 is as slow as it was measured");
    }

    /** Ticks through the warm-up with no replies; returns the time after it. */
    private static long warmedUp(final PeerRanking ranking)
    {
        ranking.onTick(0);
        ranking.onTick(PeerRanking.WARM_UP_NS);
        return PeerRanking.WARM_UP_NS;
    }
}
