package io.roundtable.protocol;

import java.util.Arrays;

/**
 * The k-threshold union of reported dependency sets (Atlas, EuroSys'20; seed 000's slides): {@code ⨃k E} holds the
 * dots reported at least k+1 times across the sets of E. Kept as a sorted dot array with a count per dot, reused
 * between instances, so counting allocates nothing once its arrays have grown.
 *
 * <p>Atlas's fast-path predicate is {@code ⨃f(reports) = ⋃(reports)} with <b>the coordinator counted as reporting
 * the whole union</b>: a dot is fast iff the other fast-quorum members report it at least f times
 * ({@link #everyDotReportedAtLeast}). fantoch's "count including the coordinator's own report ≥ f" means the same,
 * because every acceptor unions the coordinator's own dependencies into its reply. The tempting "own report counts,
 * threshold f+1" is stricter than both and would break "f = 1 ⇒ always fast".
 */
public final class ThresholdUnion
{
    private long[] dots;
    private int[] counts;
    private int size;
    private int reporters;

    public ThresholdUnion()
    {
        this(16);
    }

    public ThresholdUnion(final int initialCapacity)
    {
        dots = new long[Math.max(1, initialCapacity)];
        counts = new int[dots.length];
    }

    public void clear()
    {
        size = 0;
        reporters = 0;
    }

    /** Counts one reporter's set; {@code sortedUnique} as {@link DotSet#array()} keeps it. */
    public void add(final long[] sortedUnique, final int count)
    {
        reporters++;
        for (int i = 0; i < count; i++)
        {
            final long dot = sortedUnique[i];
            final int index = Arrays.binarySearch(dots, 0, size, dot);
            if (index >= 0)
            {
                counts[index]++;
            }
            else
            {
                insertAt(-index - 1, dot);
            }
        }
    }

    public void add(final DotSet set)
    {
        add(set.array(), set.size());
    }

    /** How many sets have been added. */
    public int reporters()
    {
        return reporters;
    }

    /** Distinct dots reported: the size of the plain union. */
    public int size()
    {
        return size;
    }

    /** How many sets reported {@code dot}. */
    public int countOf(final long dot)
    {
        final int index = Arrays.binarySearch(dots, 0, size, dot);
        return index >= 0 ? counts[index] : 0;
    }

    /** Writes {@code ⨃k}: the dots reported at least k+1 times. */
    public void thresholdUnion(final int k, final DotSet out)
    {
        out.clear();
        for (int i = 0; i < size; i++)
        {
            if (counts[i] >= k + 1)
            {
                out.add(dots[i]);
            }
        }
    }

    /** Writes the plain union {@code ⋃} (every dot reported at least once). */
    public void union(final DotSet out)
    {
        thresholdUnion(0, out);
    }

    /**
     * Whether every reported dot was reported at least {@code times} times. With the non-coordinator fast-quorum
     * replies added and {@code times = f}, this is Atlas's fast-path condition (the coordinator counted as the union).
     */
    public boolean everyDotReportedAtLeast(final int times)
    {
        for (int i = 0; i < size; i++)
        {
            if (counts[i] < times)
            {
                return false;
            }
        }
        return true;
    }

    private void insertAt(final int index, final long dot)
    {
        if (size == dots.length)
        {
            dots = Arrays.copyOf(dots, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
        }
        System.arraycopy(dots, index, dots, index + 1, size - index);
        System.arraycopy(counts, index, counts, index + 1, size - index);
        dots[index] = dot;
        counts[index] = 1;
        size++;
    }
}
