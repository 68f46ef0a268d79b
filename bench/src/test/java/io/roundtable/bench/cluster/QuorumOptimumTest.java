package io.roundtable.bench.cluster;

import io.roundtable.config.ProtocolName;
import io.roundtable.latency.LatencyMatrix;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class QuorumOptimumTest
{
    /** Issue 6 lists these optima for the EPaxos paper's 5 sites, from the same ping data. */
    @Test
    void theEpaxosPapersSitesHaveTheOptimaTheIssueQuotes()
    {
        final LatencyMatrix latency = LatencyMatrix.bundled(LatencyMatrix.AWS, Preset.EPAXOS_REGIONS);
        final double[] expectedMs = {70.5, 111.7, 141.1, 111.7, 181.3};
        for (int site = 0; site < expectedMs.length; site++)
        {
            assertEquals(expectedMs[site], QuorumOptimum.optimumMs(ProtocolName.EPAXOS, latency, 2, site), 0.6,
                Preset.EPAXOS_REGIONS.get(site));
            // Atlas with f=1 at n=5 needs the same 3 of 5
            assertEquals(expectedMs[site], QuorumOptimum.optimumMs(ProtocolName.ATLAS, latency, 1, site), 0.6);
        }
    }

    @Test
    void quorumSizesFollowEachProtocol()
    {
        assertEquals(3, QuorumOptimum.quorumSize(ProtocolName.EPAXOS, 5, 2));
        assertEquals(5, QuorumOptimum.quorumSize(ProtocolName.EPAXOS, 7, 3));
        assertEquals(4, QuorumOptimum.quorumSize(ProtocolName.ATLAS, 7, 1));
        assertEquals(5, QuorumOptimum.quorumSize(ProtocolName.TEMPO, 7, 2));
        assertEquals(4, QuorumOptimum.quorumSize(ProtocolName.PAXOS, 7, 3));
    }
}
