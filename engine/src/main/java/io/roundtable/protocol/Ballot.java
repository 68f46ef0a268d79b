package io.roundtable.protocol;

/**
 * Paxos ballots ordered by (epoch, counter, replica), packed into a {@code long} whose signed order is the ballot
 * order. Replica R's initial ballot for its own instances is {@code epoch.0.R}; a recoverer uses a higher counter.
 * Promised and accepted ballots are separate fields everywhere (PROTOCOLS.md pitfall 1).
 */
public final class Ballot
{
    /** Smaller than every real ballot: "nothing accepted yet". */
    public static final long NONE = -1L;

    private static final int COUNTER_SHIFT = 16;
    private static final int EPOCH_SHIFT = 48;
    private static final long REPLICA_MASK = 0xFFFFL;
    private static final long COUNTER_MASK = 0xFFFF_FFFFL;

    private Ballot()
    {
    }

    public static long of(final int epoch, final long counter, final int replica)
    {
        if (epoch < 0 || epoch > Short.MAX_VALUE)
        {
            throw new IllegalArgumentException("epoch must be in [0, 32767]: " + epoch);
        }
        if (counter < 0 || counter > COUNTER_MASK)
        {
            throw new IllegalArgumentException("counter must fit 32 bits: " + counter);
        }
        if (replica < 0 || replica >= Dot.MAX_REPLICAS)
        {
            throw new IllegalArgumentException("replica id out of range: " + replica);
        }
        return ((long)epoch << EPOCH_SHIFT) | (counter << COUNTER_SHIFT) | replica;
    }

    public static long initial(final int epoch, final int ownerReplica)
    {
        return of(epoch, 0, ownerReplica);
    }

    public static int epoch(final long ballot)
    {
        return (int)(ballot >>> EPOCH_SHIFT);
    }

    public static long counter(final long ballot)
    {
        return (ballot >>> COUNTER_SHIFT) & COUNTER_MASK;
    }

    public static int replica(final long ballot)
    {
        return (int)(ballot & REPLICA_MASK);
    }

    /** The smallest ballot owned by {@code replica} that is higher than {@code ballot}. */
    public static long nextAbove(final long ballot, final int replica)
    {
        final int epoch = ballot < 0 ? 0 : epoch(ballot);
        final long counter = ballot < 0 ? 0 : counter(ballot);
        return of(epoch, counter + 1, replica);
    }

    public static String toString(final long ballot)
    {
        return ballot == NONE ? "none" : epoch(ballot) + "." + counter(ballot) + "." + replica(ballot);
    }
}
