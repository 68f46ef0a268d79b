package io.roundtable.protocol.tempo;

import io.roundtable.execution.TimestampExecutor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tempo's per-key state (clock rows, promise rows, the executor's stable frontiers) is reclaimed once a key is quiet,
 * without ever letting a replica propose at or below a value it promised, before or after a restart.
 */
class TempoKeyReclamationTest
{
    private static final int DISTINCT_KEYS = 100_000;
    private static final int ROW_BOUND = 2_000;

    @Test
    void longRunOverDistinctKeysKeepsPerKeyStateBounded()
    {
        final TempoTestCluster cluster = new TempoTestCluster(3, 1);
        int maxRows = 0;
        for (long key = 0; key < DISTINCT_KEYS; key++)
        {
            cluster.submit((int)(key % 3), key);
            cluster.deliverAll();
            if (key % 64 == 63)
            {
                cluster.settle(1);
                for (int id = 0; id < 3; id++)
                {
                    maxRows = Math.max(maxRows, rows(cluster.node(id)));
                }
            }
        }
        cluster.settle(40);
        for (int id = 0; id < 3; id++)
        {
            final TempoTestCluster.Node node = cluster.node(id);
            assertEquals(DISTINCT_KEYS, node.executed.size(), "replica " + id + " executed everything");
            assertTrue(node.tempo.keysReclaimed() >= DISTINCT_KEYS - ROW_BOUND, "replica " + id + " reclaimed " +
                node.tempo.keysReclaimed());
            assertEquals(0, rows(node), "replica " + id + ": every quiet key is reclaimed in the end");
        }
        System.out.println("Tempo per-key rows peaked at " + maxRows + " over " + DISTINCT_KEYS + " distinct keys");
        assertTrue(maxRows < ROW_BOUND, "per-key rows peaked at " + maxRows + " over " + DISTINCT_KEYS + " keys");
    }

    @Test
    void reclaimedKeyIsNeverProposedAtOrBelowItsOldClockEvenAfterARestart()
    {
        final TempoTestCluster cluster = new TempoTestCluster(3, 1);
        final long key = 42;
        cluster.node(1).tempo.clocks.raise(key, 50);
        cluster.submit(0, key);
        cluster.deliverAll();
        cluster.settle(20);
        final Tempo tempo = cluster.node(1).tempo;
        assertEquals(0, tempo.clockRowCount(), "the quiet key is reclaimed");
        final long promised = tempo.clockOf(key);
        assertTrue(promised >= 51, "its clock lives on in the floor: " + promised);

        cluster.node(1).restart();
        cluster.settle(1);
        assertTrue(cluster.node(1).tempo.clockOf(key) >= promised, "the replayed floor covers the reclaimed clock");
        assertTrue(cluster.node(1).tempo.clockOf(key + 1) >= promised,
            "and every other key's: before the restart, a key used again could have been published at the floor");
        final long dot = cluster.submit(1, key);
        cluster.deliverAll();
        cluster.settle(4);
        for (int id = 0; id < 3; id++)
        {
            assertTrue(cluster.node(id).decided.get(dot) > promised, "replica " + id);
            assertTrue(cluster.node(id).executed.contains(dot), "the key is learnt again and becomes stable");
        }
    }

    private static int rows(final TempoTestCluster.Node node)
    {
        final int stable = ((TimestampExecutor)node.executor).stableKeyCount();
        return Math.max(stable, Math.max(node.tempo.clockRowCount(), node.tempo.promiseRowCount()));
    }
}
