package io.roundtable.protocol;

import java.util.Arrays;

/**
 * The order in which a coordinator asks its peers, re-ranked by how fast they answer, so that thrifty quorums route
 * around a slow replica (a straggler, seed 001) instead of waiting on it for every command, and come back to it once
 * it is fast again.
 *
 * <p>Each peer has a smoothed reply time (an exponentially weighted moving average, weight 1/8; the first reply sets
 * it), fed with the time from a thrifty phase's start to that peer's reply (never from a widened phase: a late reply
 * to the first send would look fast after the resend), and with twice the time waited when the phase timed out
 * without it. Times come from the core's clock, which moves with its ticks, so differences below a tick are
 * invisible. A peer overtakes one preferred before it only when faster by {@link #HYSTERESIS_NS} and an eighth:
 * replies measured under load run above the link's best, so near-equal peers (5 ms apart on a 180 ms round trip)
 * keep their configured order (nearest first) rather than trade places on queueing noise, while a straggler (20 ms on
 * a 1 ms LAN, +20 ms on a 70 ms WAN link) is passed.
 *
 * <p>Nothing is re-ranked in the first {@link #WARM_UP_NS} after the first tick: the first replies (JIT compiling,
 * connections coming up) are far off, and a peer demoted on one would stay out for minutes. A peer outside the quorum
 * gets no replies to measure, so its estimate decays: quickly (an eighth every 100 ms) down to the fastest reply it
 * ever gave, so one slow reply is soon forgotten, then by 0.5 ms a second, until it passes a quorum member and is
 * tried again; the first reply replaces the decayed estimate. A 20 ms
 * straggler on a LAN is retried about every 40 s, a WAN peer 80 ms further than the quorum's every few minutes; each
 * try costs the commands proposed during one round trip to it. (Probing peers outside the quorum with the proposal
 * itself would measure them for free, but an extra PreAccept is a vote that EPaxos recovery can then pick over a
 * fast-path decision: the simulator's faulty suite found exactly that, so probes need a message of their own.)
 *
 * <p>Re-ranking is safe at any moment: every instance records the fast quorum it was proposed to, and recovery reads
 * that, never this ranking. {@link #peers()} is the live array the publishers read; it changes only in
 * {@link #onTick}. Allocation-free.
 */
public final class PeerRanking
{
    /** Overtaking needs this much more than an eighth of the incumbent's time. */
    public static final long HYSTERESIS_NS = 2_000_000L;
    private static final long DECAY_INTERVAL_NS = 100_000_000L;
    /** Below the fastest reply seen, what each decay step takes off an unasked peer's estimate: 0.5 ms per second. */
    private static final long DECAY_STEP_NS = 50_000L;
    private static final long LOWEST_ESTIMATE_NS = -2 * HYSTERESIS_NS;
    private static final int SMOOTHING_SHIFT = 3;
    private static final int FAST_DECAY_SHIFT = 3;
    /** From the first tick, how long replies are only measured: the first ones (JIT, connections) are far off. */
    public static final long WARM_UP_NS = 1_000_000_000L;

    private final int self;
    private final int[] preference;
    private final int[] peers;
    private final int[] scratch;
    private final int quorumPeers;
    private final long[] replyNs;
    /** True until a peer's first reply, and again once its estimate decayed: the next reply replaces it. */
    private final boolean[] replaceNext;
    /** The fastest reply each peer gave: its distance at best, robust to outliers. */
    private final long[] fastestNs;
    private long rankFromNs;
    private boolean started;
    private long quorumMask;
    private long nextDecayNs;
    private long reranks;

    /**
     * @param self        this replica.
     * @param preference  the other replicas, preferred first (by distance where known); copied.
     * @param quorumPeers how many of the first peers a thrifty phase asks (fast quorum − 1).
     */
    public PeerRanking(final int self, final int[] preference, final int quorumPeers)
    {
        if (quorumPeers < 0 || quorumPeers > preference.length)
        {
            throw new IllegalArgumentException("a thrifty quorum of " + quorumPeers + " peers out of " +
                preference.length);
        }
        this.self = self;
        this.preference = preference.clone();
        this.peers = preference.clone();
        this.scratch = new int[preference.length];
        this.quorumPeers = quorumPeers;
        int highest = self;
        for (final int peer : preference)
        {
            highest = Math.max(highest, peer);
        }
        this.replyNs = new long[highest + 1];
        this.replaceNext = new boolean[highest + 1];
        Arrays.fill(replaceNext, true);
        this.fastestNs = new long[highest + 1];
        Arrays.fill(fastestNs, Long.MAX_VALUE);
        this.quorumMask = maskOfFirst();
    }

    /** The peers in the order thrifty phases ask them: the publishers' live view. */
    public int[] peers()
    {
        return peers;
    }

    /** This replica and the peers a thrifty phase asks now. */
    public long thriftyQuorumMask()
    {
        return quorumMask;
    }

    /** {@code peer} answered a thrifty phase (or a probe) {@code elapsedNs} after it started. */
    public void onReply(final int peer, final long elapsedNs)
    {
        if (isPeer(peer) && elapsedNs >= 0)
        {
            fastestNs[peer] = Math.min(fastestNs[peer], elapsedNs);
            smooth(peer, elapsedNs);
        }
    }

    /**
     * {@code peer} was asked and had not answered when the phase timed out after {@code waitedNs}: it counts as
     * answering in twice that, since its reply, if any, comes later still.
     */
    public void onNoReply(final int peer, final long waitedNs)
    {
        if (isPeer(peer) && waitedNs >= 0)
        {
            smooth(peer, 2 * waitedNs);
        }
    }

    /** Decays the estimates of unasked peers and re-ranks; call from the core's tick. */
    public void onTick(final long nowNs)
    {
        if (!started)
        {
            started = true;
            rankFromNs = nowNs + WARM_UP_NS;
        }
        if (nowNs - rankFromNs < 0)
        {
            return;
        }
        if (nowNs - nextDecayNs >= 0)
        {
            nextDecayNs = nowNs + DECAY_INTERVAL_NS;
            for (int i = quorumPeers; i < peers.length; i++)
            {
                decay(peers[i]);
            }
        }
        if (rerank())
        {
            reranks++;
            quorumMask = maskOfFirst();
        }
    }

    /** The smoothed (or decayed) reply time of {@code peer}, in ns; 0 until it first answers. */
    public long replyNs(final int peer)
    {
        return replyNs[peer];
    }

    /** Times the order of peers changed. */
    public long reranks()
    {
        return reranks;
    }

    private void decay(final int peer)
    {
        if (replyNs[peer] == 0 && fastestNs[peer] == Long.MAX_VALUE)
        {
            return; // never measured: at 0 it is tried as soon as a quorum member is measured slower than a tick
        }
        final long aboveFastest = fastestNs[peer] == Long.MAX_VALUE ? 0 : replyNs[peer] - fastestNs[peer];
        final long step = Math.max(aboveFastest > 0 ? aboveFastest >> FAST_DECAY_SHIFT : 0, DECAY_STEP_NS);
        replyNs[peer] = Math.max(LOWEST_ESTIMATE_NS, replyNs[peer] - step);
        replaceNext[peer] = true; // a decayed estimate is no measurement: the next reply replaces it
    }

    private boolean isPeer(final int peer)
    {
        return peer != self && peer >= 0 && peer < replyNs.length;
    }

    private void smooth(final int peer, final long sampleNs)
    {
        if (replaceNext[peer])
        {
            replaceNext[peer] = false; // smoothing up from 0 would take many replies
            replyNs[peer] = sampleNs;
        }
        else
        {
            replyNs[peer] += (sampleNs - replyNs[peer]) >> SMOOTHING_SHIFT;
        }
    }

    /**
     * Sorts afresh from the configured preference, a peer moving ahead of one preferred before it only when it
     * overtakes it: the order is a function of the estimates alone, so once measured near-equal peers fall back to the
     * configured order, whatever order a blind first try left them in. Insertion sort: n is small.
     */
    private boolean rerank()
    {
        System.arraycopy(preference, 0, scratch, 0, preference.length);
        for (int i = 1; i < scratch.length; i++)
        {
            final int peer = scratch[i];
            int at = i;
            while (at > 0 && overtakes(replyNs[peer], replyNs[scratch[at - 1]]))
            {
                scratch[at] = scratch[at - 1];
                at--;
            }
            scratch[at] = peer;
        }
        if (Arrays.equals(scratch, peers))
        {
            return false;
        }
        System.arraycopy(scratch, 0, peers, 0, peers.length);
        return true;
    }

    private static boolean overtakes(final long candidateNs, final long incumbentNs)
    {
        return candidateNs + HYSTERESIS_NS < incumbentNs - (incumbentNs >> 3);
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
