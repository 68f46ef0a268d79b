package io.roundtable.protocol.paxos;

import io.roundtable.protocol.Ballot;

import java.util.SplittableRandom;

/**
 * When a follower stops believing in its leader. Anything from the leader of the promised ballot (Accept, Chosen,
 * Heartbeat) and any Prepare this replica promised re-arms the timer; when it runs out, this replica campaigns.
 * <p>
 * The timeout is two phase timeouts (eight heartbeat intervals), plus a stagger by rank, plus a seeded random
 * back-off below half a phase timeout. Rank is the distance in replica ids after the leader that was lost, so after a
 * crash the replicas do not all campaign at once and the next one usually wins unopposed; the random part breaks the
 * remaining ties, and each consecutive failed campaign doubles the wait (up to 8×) so duelling candidates calm down.
 */
final class PaxosElection
{
    private static final int MAX_BACKOFF_SHIFT = 3;

    private final Paxos paxos;
    private final SplittableRandom random;
    private long deadlineNs = Long.MIN_VALUE;
    private int failedCampaigns;

    PaxosElection(final Paxos paxos, final long seed)
    {
        this.paxos = paxos;
        this.random = new SplittableRandom(seed);
    }

    /** A sign of life from the leader of the promised ballot, or from a candidate this replica promised. */
    void onHeard(final long nowNs, final int from)
    {
        failedCampaigns = 0;
        arm(nowNs);
    }

    /** A Nack told this leader or candidate of a higher ballot: wait for its owner before campaigning again. */
    void onDeposed(final long nowNs, final long higherBallot)
    {
        failedCampaigns++;
        arm(nowNs);
    }

    void onTick(final long nowNs)
    {
        if (deadlineNs == Long.MIN_VALUE)
        {
            arm(nowNs); // first tick after start or restart
            return;
        }
        if (paxos.isLeading() || nowNs < deadlineNs)
        {
            return;
        }
        failedCampaigns++;
        arm(nowNs);
        paxos.startElection();
    }

    private void arm(final long nowNs)
    {
        final long unit = Math.max(1, paxos.phaseTimeoutNs);
        final int lostLeader = Ballot.replica(paxos.promised);
        final int rank = Math.floorMod(paxos.self - lostLeader - 1, paxos.replicaCount);
        final long timeout = 2 * unit + rank * (unit / 2) + random.nextLong(Math.max(1, unit / 2));
        deadlineNs = nowNs + (timeout << Math.min(Math.max(failedCampaigns - 1, 0), MAX_BACKOFF_SHIFT));
    }
}
