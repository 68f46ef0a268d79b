package io.roundtable.protocol;

/**
 * Quorum arithmetic for N = 2F+1 replicas, shared by every protocol. Atlas and Tempo take a separate f (1 ≤ f ≤ F).
 */
public final class QuorumSizes
{
    private QuorumSizes()
    {
    }

    /** F, the crashes N replicas tolerate: ⌊(N−1)/2⌋. */
    public static int maxFailures(final int replicaCount)
    {
        requireReplicaCount(replicaCount);
        return (replicaCount - 1) / 2;
    }

    /** Classic majority F+1: Paxos phases, EPaxos slow path and recovery. */
    public static int majority(final int replicaCount)
    {
        return maxFailures(replicaCount) + 1;
    }

    /**
     * Optimized EPaxos fast quorum F + ⌊(F+1)/2⌋ including the coordinator (EPaxos report §6.1; the slides' "f+f/2"
     * agrees only for even F). N=3 → 2, N=5 → 3, N=7 → 5, N=9 → 6.
     */
    public static int epaxosFastQuorum(final int replicaCount)
    {
        final int f = maxFailures(replicaCount);
        return f + (f + 1) / 2;
    }

    /** Atlas and Tempo fast quorum ⌊N/2⌋ + f including the coordinator. */
    public static int atlasFastQuorum(final int replicaCount, final int f)
    {
        requireFaultThreshold(replicaCount, f);
        return replicaCount / 2 + f;
    }

    public static void requireReplicaCount(final int replicaCount)
    {
        if (replicaCount < 3 || replicaCount % 2 == 0 || replicaCount > Dot.MAX_REPLICAS)
        {
            throw new IllegalArgumentException(
                "replica count must be odd and at least 3 (N = 2F+1), got " + replicaCount);
        }
    }

    public static void requireFaultThreshold(final int replicaCount, final int f)
    {
        final int maxF = maxFailures(replicaCount);
        if (f < 1 || f > maxF)
        {
            throw new IllegalArgumentException(
                "f must be between 1 and F=" + maxF + " for N=" + replicaCount + ", got " + f);
        }
    }
}
