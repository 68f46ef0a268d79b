package io.roundtable.protocol;

/**
 * A command id: the replica that first coordinated it and its instance number in that replica's space.
 * Packed into a {@code long} (replica in the top 16 bits, instance in the low 48) so that dots travel in
 * primitive arrays and SBE int64 fields without boxing. Instance numbers start at 1; 0 means "none".
 */
public final class Dot
{
    public static final long NONE = 0L;
    public static final int MAX_REPLICAS = 1 << 15;
    public static final long MAX_INSTANCE = (1L << 48) - 1;

    private static final int REPLICA_SHIFT = 48;

    private Dot()
    {
    }

    public static long of(final int replica, final long instance)
    {
        if (replica < 0 || replica >= MAX_REPLICAS)
        {
            throw new IllegalArgumentException("replica id must be in [0, " + MAX_REPLICAS + "): " + replica);
        }
        if (instance < 0 || instance > MAX_INSTANCE)
        {
            throw new IllegalArgumentException("instance must be in [0, 2^48): " + instance);
        }
        return ((long)replica << REPLICA_SHIFT) | instance;
    }

    public static int replica(final long dot)
    {
        return (int)(dot >>> REPLICA_SHIFT);
    }

    public static long instance(final long dot)
    {
        return dot & MAX_INSTANCE;
    }

    public static String toString(final long dot)
    {
        return replica(dot) + "." + instance(dot);
    }
}
