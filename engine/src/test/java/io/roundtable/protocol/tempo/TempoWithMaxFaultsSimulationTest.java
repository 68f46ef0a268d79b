package io.roundtable.protocol.tempo;

import io.roundtable.protocol.ProtocolFactory;
import io.roundtable.protocol.ProtocolCounters;
import io.roundtable.sim.RandomizedSchedules;
import io.roundtable.sim.Simulation;
import io.roundtable.sim.SimulationConfig;
import io.roundtable.sim.SimulationResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The simulator suites run Tempo with its default f = 1, where every command takes the fast path. With f = F the fast
 * quorum is larger and the max proposal is often made by too few of its members, so the slow path (consensus on the
 * timestamp) and recovery of commands that went through it are exercised too: random schedules, with and without
 * faults (loss, partitions, crashes and restarts, checkpoints).
 */
class TempoWithMaxFaultsSimulationTest
{
    private static int seeds()
    {
        return Integer.getInteger("roundtable.sim.tempoMaxFaultsSeeds", 150);
    }

    @ParameterizedTest(name = "N={0} f={1} faulty={2}")
    @CsvSource({"5, 2, false", "5, 2, true", "7, 3, false", "7, 3, true"})
    void keepsAgreementOrderLinearizabilityAndLivenessWithTheLargestF(
        final int replicas, final int faults, final boolean faulty)
    {
        final int seeds = replicas == 7 ? Math.max(1, seeds() / 3) : seeds();
        final List<String> failures = new ArrayList<>();
        final ProtocolCounters total = new ProtocolCounters();
        for (long seed = 1; seed <= seeds && failures.size() < 5; seed++)
        {
            final SimulationConfig config = faulty ?
                RandomizedSchedules.faultyConfig(seed, replicas) : RandomizedSchedules.config(seed, replicas);
            final SimulationResult result = new Simulation(config.toleratedFaults(faults), ProtocolFactory.TEMPO).run();
            total.fastPath += result.counters().fastPath;
            total.slowPath += result.counters().slowPath;
            total.recoveries += result.counters().recoveries;
            if (!result.ok())
            {
                failures.add("seed " + seed + " failed: " + result);
            }
        }
        System.out.printf("Tempo N=%d f=%d %s: %d seeds, fast %d / slow %d, recoveries %d%n", replicas, faults,
            faulty ? "faulty" : "fault-free", seeds, total.fastPath, total.slowPath, total.recoveries);
        if (!failures.isEmpty())
        {
            fail(String.join("\n", failures));
        }
        assertTrue(total.slowPath > 0, "with f = F some commands take the slow path");
    }
}
