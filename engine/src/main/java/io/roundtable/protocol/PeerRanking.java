package io.roundtable.protocol;

/**
 * The order in which a coordinator asks its peers, re-ranked by how fast they answer, so that thrifty quorums route
 * around a slow replica (a straggler, seed 001) instead of waiting on it for every command, and come back to it once
 * it is fast again.
 *
 * <p>Each peer has a smoothed reply time (an exponentially weighted moving average, weight 1/8), fed with the time
 * from a phase's start to that peer's reply, and with the time waited when a phase timed out without its reply. Times
 * come from the core's clock, which moves with its ticks, so differences below a tick are invisible; a peer is moved
 * ahead of another only when it is faster by more than {@link #HYSTERESIS_NS}, so equal peers keep the configured
 * order (nearest first) and do not trade places on noise. A peer left out of the quorum gets no replies to measure,
 * so its estimate decays (halved about every 9 s, and 0.5 ms less per second besides) until it falls below the
 * quorum's and the peer is tried again: a straggler that recovered is taken back, one that did not is measured slow
 * again within a couple of replies and dropped. A 20 ms straggler is retried about every 20 s; peers that answer
 * alike take turns about as often, which costs nothing.
 *
 * <p>Re-ranking is safe at any moment: every instance records the fast quorum it was proposed to, and recovery reads
 * that, never this ranking. {@link #peers()} is the live array the publishers read; it changes only in
 * {@link #onTick}. Allocation-free.
 */
public final class PeerRanking
{
    /** How much faster a peer must be to overtake one preferred before it. */
    public static final long HYSTERESIS_NS = 2_000_000L;
    private static final long DECAY_INTERVAL_NS = 100_000_000L;
    /** Each decay step also takes this off, so an unasked peer ends up below a fast one and is tried again. */
    private static final long DECAY_STEP_NS = 50_000L;
    private static final long LOWEST_ESTIMATE_NS = -2 * HYSTERESIS_NS;
    private static final int SMOOTHING_SHIFT = 3;
    private static final int DECAY_SHIFT = 7;

    private final int self;
    private final int[] peers;
    private final int quorumPeers;
    private final long[] replyNs;
    private long quorumMask;
    private long nextDecayNs;
    private long reranks;

    /**
     * @param self          this replica.
     * @param preference    the other replicas, preferred first (by distance where known); copied.
     * @param quorumPeers   how many of the first peers a thrifty phase asks (fast quorum − 1).
     */
    public PeerRanking(final int self, final int[] preference, final int quorumPeers)
    {
        if (quorumPeers < 0 || quorumPeers > preference.length)
        {
            throw new IllegalArgumentException("a thrifty quorum of " + quorumPeers + " peers out of " +
                preference.length);
        }
        this.self = self;
        this.peers = preference.clone();
        this.quorumPeers = quorumPeers;
        int highest = self;
        for (final int peer : preference)
        {
            highest = Math.max(highest, peer);
        }
        this.replyNs = new long[highest + 1];
        this.quorumMask = maskOfFirst();
    }

    /** The peers in the order thrifty phases ask them; the publishers' live view, re-ordered only by ticks. */
    public int[] peers()
    {
        return peers;
    }

    /** This replica and the peers a thrifty phase asks now. */
    public long thriftyQuorumMask()
    {
        return quorumMask;
    }

    /** {@code peer} answered a phase {@code elapsedNs} after it started. */
    public void onReply(final int peer, final long elapsedNs)
    {
        if (peer != self && peer >= 0 && peer < replyNs.length && elapsedNs >= 0)
        {
            replyNs[peer] += (elapsedNs - replyNs[peer]) >> SMOOTHING_SHIFT;
        }
    }

    /** {@code peer} was asked and had not answered when the phase timed out after {@code waitedNs}. */
    public void onNoReply(final int peer, final long waitedNs)
    {
        onReply(peer, waitedNs);
    }

    /** Decays the estimates of unasked peers and re-ranks; call from the core's tick. */
    public void onTick(final long nowNs)
    {
        if (nowNs - nextDecayNs >= 0)
        {
            nextDecayNs = nowNs + DECAY_INTERVAL_NS;
            for (int i = quorumPeers; i < peers.length; i++)
            {
                final int peer = peers[i];
                final long decayed = replyNs[peer] - (replyNs[peer] >> DECAY_SHIFT) - DECAY_STEP_NS;
                replyNs[peer] = Math.max(LOWEST_ESTIMATE_NS, decayed);
            }
        }
        if (rerank())
        {
            reranks++;
            quorumMask = maskOfFirst();
        }
    }

    /** The smoothed reply time of {@code peer}, in ns. */
    public long replyNs(final int peer)
    {
        return replyNs[peer];
    }

    /** Times the order of peers changed. */
    public long reranks()
    {
        return reranks;
    }

    /** Insertion sort with hysteresis: stable, and a no-op on the already-ordered array it nearly always sees. */
    private boolean rerank()
    {
        boolean changed = false;
        for (int i = 1; i < peers.length; i++)
        {
            final int peer = peers[i];
            int at = i;
            while (at > 0 && replyNs[peer] + HYSTERESIS_NS < replyNs[peers[at - 1]])
            {
                peers[at] = peers[at - 1];
                at--;
            }
            if (at != i)
            {
                peers[at] = peer;
                changed = true;
            }
        }
        return changed;
    }

    private long maskOfFirst()
    {
        long mask = 1L << self;
        for (int i = 0; i < quorumPeers; i++)
        {
            mask |= 1L << peers[i];
        }
        return mask;
    }
}
