package io.roundtable.workload;

import org.HdrHistogram.Histogram;

/**
 * Latency over time: one histogram per fixed-width bucket of completion time, from {@link #start}. What the
 * straggler-switch scenario plots (seed 001 plots every command's latency in order; buckets keep that readable at
 * tens of thousands of commands a second). Preallocated; recording allocates nothing.
 */
public final class LatencyTimeline
{
    private static final long HIGHEST_NS = 60_000_000_000L;

    private final long bucketNs;
    private final Histogram[] buckets;
    private long startNs;
    private boolean started;

    /**
     * @param bucketNs    width of a bucket.
     * @param bucketCount buckets kept; completions past the last are not recorded.
     */
    public LatencyTimeline(final long bucketNs, final int bucketCount)
    {
        if (bucketNs <= 0 || bucketCount <= 0)
        {
            throw new IllegalArgumentException("bucketNs and bucketCount must be positive: " + bucketNs + ", " +
                bucketCount);
        }
        this.bucketNs = bucketNs;
        this.buckets = new Histogram[bucketCount];
        for (int i = 0; i < bucketCount; i++)
        {
            buckets[i] = new Histogram(HIGHEST_NS, 2);
        }
    }

    /** Bucket 0 begins at {@code nowNs}; what was recorded before is cleared. */
    public void start(final long nowNs)
    {
        for (final Histogram bucket : buckets)
        {
            bucket.reset();
        }
        startNs = nowNs;
        started = true;
    }

    /** A command answered at {@code nowNs} after {@code latencyNs}. */
    public void record(final long nowNs, final long latencyNs)
    {
        if (!started || nowNs - startNs < 0)
        {
            return;
        }
        final long index = (nowNs - startNs) / bucketNs;
        if (index < buckets.length)
        {
            buckets[(int)index].recordValue(Math.min(latencyNs, HIGHEST_NS));
        }
    }

    public long bucketNs()
    {
        return bucketNs;
    }

    public int bucketCount()
    {
        return buckets.length;
    }

    /** The latencies of the commands answered in bucket {@code index}. */
    public Histogram bucket(final int index)
    {
        return buckets[index];
    }
}
