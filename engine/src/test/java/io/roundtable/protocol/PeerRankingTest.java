package io.roundtable.protocol;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PeerRankingTest
{
    private static final long MS = 1_000_000L;

    @Test
    void aTickOfJitterDoesNotReorderPeers()
    {
        final PeerRanking ranking = new PeerRanking(0, new int[] {1, 2, 3, 4}, 2);
        long now = 0;
        for (int i = 0; i < 1_000; i++)
        {
            ranking.onReply(1, (i % 2) * MS); // a tick of jitter is not a difference
            ranking.onReply(2, ((i + 1) % 2) * MS);
            ranking.onTick(now += MS);
        }
        assertArrayEquals(new int[] {1, 2, 3, 4}, ranking.peers());
        assertEquals(0b111, ranking.thriftyQuorumMask());
        assertEquals(0, ranking.reranks());
    }

    @Test
    void routesAroundAStragglerAndTakesItBackOnceItIsFastAgain()
    {
        final PeerRanking ranking = new PeerRanking(0, new int[] {1, 2}, 1);
        long now = 0;
        for (int i = 0; i < 50; i++)
        {
            ranking.onReply(1, 20 * MS); // replica 1 straggles
            ranking.onTick(now += MS);
        }
        assertArrayEquals(new int[] {2, 1}, ranking.peers());
        assertEquals(0b101, ranking.thriftyQuorumMask());

        // unasked, replica 1's estimate decays until it is tried again ...
        for (int i = 0; i < 60_000 && ranking.peers()[0] == 2; i++)
        {
            ranking.onReply(2, MS);
            ranking.onTick(now += MS);
        }
        assertArrayEquals(new int[] {1, 2}, ranking.peers());
        // ... and, fast now, stays
        for (int i = 0; i < 1_000; i++)
        {
            ranking.onReply(1, MS);
            ranking.onReply(2, MS);
            ranking.onTick(now += MS);
        }
        assertArrayEquals(new int[] {1, 2}, ranking.peers());
        assertEquals(0b011, ranking.thriftyQuorumMask());
    }

    @Test
    void aPeerThatNeverAnswersLeavesTheQuorum()
    {
        final PeerRanking ranking = new PeerRanking(2, new int[] {0, 1, 3, 4}, 2);
        long now = 0;
        for (int i = 0; i < 10; i++)
        {
            ranking.onNoReply(0, 50 * MS);
            ranking.onReply(1, MS);
            ranking.onTick(now += MS);
        }
        assertArrayEquals(new int[] {1, 3, 4, 0}, ranking.peers());
        assertEquals((1L << 2) | (1L << 1) | (1L << 3), ranking.thriftyQuorumMask());
    }

    @Test
    void ignoresRepliesItCannotPlace()
    {
        final PeerRanking ranking = new PeerRanking(0, new int[] {1, 2}, 1);
        ranking.onReply(0, 100 * MS);
        ranking.onReply(7, 100 * MS);
        ranking.onReply(-1, 100 * MS);
        ranking.onReply(1, -5);
        ranking.onTick(MS);
        assertEquals(0, ranking.replyNs(1));
        assertArrayEquals(new int[] {1, 2}, ranking.peers());
        assertThrows(IllegalArgumentException.class, () -> new PeerRanking(0, new int[] {1, 2}, 3));
    }
}
