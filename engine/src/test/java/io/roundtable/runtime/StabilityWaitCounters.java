package io.roundtable.runtime;

import io.roundtable.config.ProtocolName;
import org.agrona.concurrent.status.CountersReader;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks on the STABILITY_WAIT_* counters a running cluster publishes (used by {@link ReplicaClusterTest}). */
final class StabilityWaitCounters
{
    private StabilityWaitCounters()
    {
    }

    /**
     * Tempo's commit-to-execution wait is published with the other counters, at every replica once it has executed
     * some of the answered commands; the other protocols publish it as 0, never leave it unallocated (-1). The longest
     * wait is read before the total: both only grow and the total is published first, so total ≥ longest holds.
     */
    static void assertPublished(final LocalCluster cluster, final ProtocolName protocol)
    {
        final CountersReader counters = cluster.aeron().countersReader();
        for (int id = 0; id < cluster.topology().replicaCount(); id++)
        {
            final long maxNs = ReplicaCounters.read(counters, id, ReplicaCounter.STABILITY_WAIT_MAX_NS);
            final long totalNs = ReplicaCounters.read(counters, id, ReplicaCounter.STABILITY_WAIT_NS);
            final long waits = ReplicaCounters.read(counters, id, ReplicaCounter.STABILITY_WAITS);
            final String what = "replica " + id + ": waits " + waits + ", total " + totalNs + " ns, max " + maxNs + " ns";
            if (protocol == ProtocolName.TEMPO)
            {
                assertTrue(waits > 0 && maxNs > 0 && totalNs >= maxNs, what);
            }
            else
            {
                assertTrue(waits == 0 && totalNs == 0 && maxNs == 0, what);
            }
        }
    }
}
