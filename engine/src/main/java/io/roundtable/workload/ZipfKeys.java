package io.roundtable.workload;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Keys drawn from a Zipf distribution over {@code 1..count}: key k with probability proportional to 1/k^s, the
 * skewed popularity the Atlas and Tempo evaluations use. The cumulative distribution is computed once (8 bytes per
 * key); a draw is one uniform number and a binary search, without allocation.
 */
public final class ZipfKeys
{
    /** Where Zipf keys live in the key space: clear of the hot key and of every client's private keys. */
    public static final long KEY_BASE = 1L << 62;

    private final double[] cumulative;

    /**
     * @param count    how many keys, at least 1.
     * @param exponent s ≥ 0 (0 is uniform; the papers use around 0.5–1.0).
     */
    public ZipfKeys(final int count, final double exponent)
    {
        if (count < 1 || exponent < 0 || Double.isNaN(exponent))
        {
            throw new IllegalArgumentException("Zipf needs at least one key and an exponent >= 0: keys=" + count +
                " exponent=" + exponent);
        }
        cumulative = new double[count];
        double sum = 0;
        for (int k = 0; k < count; k++)
        {
            sum += 1.0 / Math.pow(k + 1, exponent);
            cumulative[k] = sum;
        }
        for (int k = 0; k < count; k++)
        {
            cumulative[k] /= sum;
        }
    }

    /** The rank (0 = most popular) of the next draw. */
    public int nextRank(final SplittableRandom random)
    {
        final int found = Arrays.binarySearch(cumulative, random.nextDouble());
        return Math.min(cumulative.length - 1, found >= 0 ? found : -found - 1);
    }

    /** The key of the next draw. */
    public long nextKey(final SplittableRandom random)
    {
        return KEY_BASE + nextRank(random);
    }

    public int count()
    {
        return cumulative.length;
    }
}
