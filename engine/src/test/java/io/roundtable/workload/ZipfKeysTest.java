package io.roundtable.workload;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZipfKeysTest
{
    @Test
    void ranksFollowOneOverKToTheS()
    {
        final ZipfKeys zipf = new ZipfKeys(100, 1.0);
        final SplittableRandom random = new SplittableRandom(7);
        final int[] hits = new int[100];
        final int draws = 1_000_000;
        for (int i = 0; i < draws; i++)
        {
            hits[zipf.nextRank(random)]++;
        }
        double harmonic = 0;
        for (int k = 1; k <= 100; k++)
        {
            harmonic += 1.0 / k;
        }
        for (final int rank : new int[] {0, 1, 9, 99})
        {
            final double expected = draws / ((rank + 1) * harmonic);
            assertEquals(expected, hits[rank], 5 * Math.sqrt(expected) + 1, "rank " + rank);
        }
    }

    @Test
    void exponentZeroIsUniformAndKeysStayInTheirRange()
    {
        final ZipfKeys uniform = new ZipfKeys(4, 0);
        final SplittableRandom random = new SplittableRandom(1);
        final int[] hits = new int[4];
        for (int i = 0; i < 40_000; i++)
        {
            final long key = uniform.nextKey(random);
            assertTrue(key >= ZipfKeys.KEY_BASE && key < ZipfKeys.KEY_BASE + 4, "key " + key);
            hits[(int)(key - ZipfKeys.KEY_BASE)]++;
        }
        for (final int hit : hits)
        {
            assertEquals(10_000, hit, 400);
        }
        assertThrows(IllegalArgumentException.class, () -> new ZipfKeys(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ZipfKeys(10, -0.5));
    }
}
