package io.roundtable.bench.cluster;

import io.roundtable.config.ProtocolName;
import io.roundtable.latency.LatencyMatrix;
import io.roundtable.protocol.QuorumSizes;

import java.util.Arrays;

/**
 * The best latency a site can see: the round trip from it to the closest quorum it needs to commit in one round
 * trip, the "optimum" a WAN median is read against. For the leaderless protocols that quorum is their fast
 * quorum (EPaxos F+⌊(F+1)/2⌋, Atlas and Tempo ⌊N/2⌋+f), the site counting itself; for Multi-Paxos, which needs the
 * leader's round trip to a majority, it is the same majority round trip, reachable only at the leader's site.
 */
public final class QuorumOptimum
{
    private QuorumOptimum()
    {
    }

    /** The optimum of replica {@code site}'s clients in milliseconds. */
    public static double optimumMs(final ProtocolName protocol, final LatencyMatrix latency, final int faults,
        final int site)
    {
        final int n = latency.size();
        final int quorum = quorumSize(protocol, n, faults);
        final long[] roundTripsNs = new long[n - 1];
        for (int peer = 0, k = 0; peer < n; peer++)
        {
            if (peer != site)
            {
                roundTripsNs[k++] = latency.oneWayNs(site, peer) + latency.oneWayNs(peer, site);
            }
        }
        Arrays.sort(roundTripsNs);
        return quorum <= 1 ? 0 : roundTripsNs[quorum - 2] / 1e6;
    }

    static int quorumSize(final ProtocolName protocol, final int replicas, final int faults)
    {
        return switch (protocol)
        {
            case EPAXOS -> QuorumSizes.epaxosFastQuorum(replicas);
            case ATLAS, TEMPO -> QuorumSizes.atlasFastQuorum(replicas, faults);
            case PAXOS -> QuorumSizes.majority(replicas);
        };
    }
}
