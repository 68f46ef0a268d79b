package io.roundtable.protocol;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuorumSizesTest
{
    @Test
    void epaxosFastQuorumIsFPlusHalfOfFPlusOneAsInTheReport()
    {
        assertEquals(2, QuorumSizes.epaxosFastQuorum(3));
        assertEquals(3, QuorumSizes.epaxosFastQuorum(5));
        assertEquals(5, QuorumSizes.epaxosFastQuorum(7));
        assertEquals(6, QuorumSizes.epaxosFastQuorum(9));
        assertEquals(8, QuorumSizes.epaxosFastQuorum(11));
    }

    @Test
    void majorityIsFPlusOne()
    {
        assertEquals(2, QuorumSizes.majority(3));
        assertEquals(3, QuorumSizes.majority(5));
        assertEquals(4, QuorumSizes.majority(7));
    }

    @Test
    void anyTwoFastQuorumsAndAnyFastAndSlowQuorumIntersect()
    {
        for (int n = 3; n <= 63; n += 2)
        {
            final int fast = QuorumSizes.epaxosFastQuorum(n);
            final int slow = QuorumSizes.majority(n);
            assertTrue(fast + slow > n, "fast and slow quorums intersect for N=" + n);
            assertTrue(fast >= slow, "a fast quorum is at least a majority for N=" + n);
        }
    }

    @Test
    void atlasFastQuorumIsHalfNPlusSmallF()
    {
        assertEquals(3, QuorumSizes.atlasFastQuorum(5, 1));
        assertEquals(4, QuorumSizes.atlasFastQuorum(5, 2));
        assertEquals(7, QuorumSizes.atlasFastQuorum(13, 1));
        assertThrows(IllegalArgumentException.class, () -> QuorumSizes.atlasFastQuorum(5, 3));
        assertThrows(IllegalArgumentException.class, () -> QuorumSizes.atlasFastQuorum(5, 0));
    }

    @Test
    void evenOrTinyClustersAreRejectedWithAnExplanation()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> QuorumSizes.majority(4));
        assertTrue(ex.getMessage().contains("odd"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QuorumSizes.majority(1));
    }
}
