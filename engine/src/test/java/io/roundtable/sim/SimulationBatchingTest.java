package io.roundtable.sim;

import io.roundtable.protocol.ProtocolFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replicas that gather requests into multi-command instances, as the runtime does, under the simulator's checks:
 * agreement, per-key order and linearizability hold, and batching really happened (fewer instances than commands).
 */
class SimulationBatchingTest
{
    @ParameterizedTest(name = "N={0}, conflict {1}, crashes {2}")
    @CsvSource({"3, 0.02, false", "3, 0.5, false", "5, 0.1, false", "5, 0.1, true"})
    void batchedInstancesKeepEveryCheck(final int replicas, final double conflict, final boolean crashes)
    {
        final SimulationConfig config = new SimulationConfig()
            .seed(replicas * 1000L + (long)(conflict * 100) + (crashes ? 7 : 0))
            .replicas(replicas)
            .clientsPerReplica(6)
            .commandsPerClient(60)
            .conflictRate(conflict)
            .readRatio(0.2)
            .casRatio(0.1)
            .uniformOneWayNs(500_000L)
            .maxJitterNs(400_000L)
            .batching(8, 200_000L);
        if (crashes)
        {
            // up to 4 crashes (half of them torn: between journaling and sending) while batches are in flight
            config.crashes(CrashSchedule.random(
                new SplittableRandom(11), replicas, 4, 40_000_000L, 2_000_000L, 20_000_000L, 0.5));
        }
        final SimulationResult result = new Simulation(config, ProtocolFactory.EPAXOS).run();
        assertTrue(result.ok(), result.toString());
        assertEquals(replicas * 6L * 60, result.commandsCompleted());
        if (crashes)
        {
            assertTrue(result.faults().crashes > 0, "the schedule crashed a replica: " + result.faults());
        }
        assertTrue(result.decidedInstances() < result.commandsCompleted(),
            "instances carry several commands: " + result.decidedInstances() + " for " + result.commandsCompleted());
    }
}
