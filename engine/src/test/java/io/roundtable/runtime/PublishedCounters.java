package io.roundtable.runtime;

import io.roundtable.config.ProtocolName;
import org.agrona.concurrent.status.CountersReader;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks on counters a running cluster publishes (stability wait, duty cycles) (used by {@link ReplicaClusterTest}). */
final class PublishedCounters
{
    private PublishedCounters()
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

    /** Aeron's duty-cycle stall trackers are wired to the DUTY_CYCLE_* counters of every replica. */
    static void assertDutyCyclesTracked(final LocalCluster cluster)
    {
        final CountersReader counters = cluster.aeron().countersReader();
        for (int id = 0; id < cluster.topology().replicaCount(); id++)
        {
            final long gapMaxNs = ReplicaCounters.read(counters, id, ReplicaCounter.DUTY_CYCLE_GAP_MAX_NS);
            final long workMaxNs = ReplicaCounters.read(counters, id, ReplicaCounter.DUTY_CYCLE_WORK_MAX_NS);
            final long gapStalls = ReplicaCounters.read(counters, id, ReplicaCounter.DUTY_CYCLE_GAP_STALLS);
            final long workStalls = ReplicaCounters.read(counters, id, ReplicaCounter.DUTY_CYCLE_WORK_STALLS);
            final String what = "replica " + id + ": longest gap " + gapMaxNs + " ns, longest work " + workMaxNs +
                " ns, stalls " + gapStalls + "/" + workStalls;
            assertTrue(gapMaxNs > 0 && workMaxNs > 0 && gapStalls >= 0 && workStalls >= 0, what);
        }
    }
}
