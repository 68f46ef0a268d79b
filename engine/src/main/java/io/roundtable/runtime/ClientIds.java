package io.roundtable.runtime;

/**
 * How a client's identity reaches the state machine. A client <em>session</em> (one connection to a replica) runs
 * up to {@link #MAX_LANES} closed-loop <em>lanes</em>, each with at most one request outstanding, and each lane is
 * a client of its own to the de-duplication layer: {@code clientId = session << LANE_BITS | lane}. One outstanding
 * request per clientId is what lets de-duplication answer a retried request from its cache exactly; and the replica
 * finds the session to answer from the clientId alone.
 */
public final class ClientIds
{
    public static final int LANE_BITS = 10;

    /** Most requests one client session can have outstanding. */
    public static final int MAX_LANES = 1 << LANE_BITS;

    /** Session ids are positive and below this, so every clientId is a positive long. */
    public static final long MAX_SESSION = 1L << (63 - LANE_BITS);

    private ClientIds()
    {
    }

    public static long clientId(final long session, final int lane)
    {
        return session << LANE_BITS | lane;
    }

    public static long session(final long clientId)
    {
        return clientId >>> LANE_BITS;
    }

    public static int lane(final long clientId)
    {
        return (int)(clientId & (MAX_LANES - 1));
    }
}
