package io.roundtable.driver;

/**
 * Every Aeron stream id Roundtable uses, in one place so that a publisher and its subscriber cannot disagree. The
 * ids start at 1001, clear of Aeron Archive (10, 20, 30, ...) and Aeron Cluster (100-115) defaults, so a driver can be
 * shared with either without crossing streams.
 */
public final class StreamIds
{
    /** Replica to replica: PreAccept, Accept, Commit, recovery and Progress messages. */
    public static final int PEER_PROTOCOL = 1001;

    /** Client to replica: ClientRequest. */
    public static final int CLIENT_INGRESS = 1002;

    /** Replica to client: ClientResponse. */
    public static final int CLIENT_EGRESS = 1003;

    private StreamIds()
    {
    }
}
