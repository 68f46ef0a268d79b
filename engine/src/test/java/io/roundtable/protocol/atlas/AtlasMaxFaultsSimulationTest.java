package io.roundtable.protocol.atlas;

import io.roundtable.protocol.ProtocolContext;
import io.roundtable.protocol.ProtocolFactory;
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
 * The simulator suites run Atlas at its default f = 1, where every collect goes fast. This runs the same randomized
 * schedules (fault-free and faulty) at f = F, where fast decisions need f reports per dependency, the slow path and
 * recovery's Q ∩ FQ rule are exercised: a tenth of the suites' seed counts at N = 5, f = 2, and a fortieth at
 * N = 7, f = 3.
 */
class AtlasMaxFaultsSimulationTest
{
    @ParameterizedTest(name = "N={0} f=F faulty={1}")
    @CsvSource({"5, false", "5, true", "7, false", "7, true"})
    void everyScheduleAtMaxFaultsKeepsAgreementOrderLinearizabilityAndLiveness(
        final int replicas, final boolean faulty)
    {
        final int suiteSeeds = faulty ?
            Integer.getInteger("roundtable.sim.faultySeeds", 50) : Integer.getInteger("roundtable.sim.seeds", 200);
        final int seeds = Math.max(1, replicas == 7 ? suiteSeeds / 40 : suiteSeeds / 10);
        final int faults = ProtocolContext.maxFaults(replicas);
        final List<String> failures = new ArrayList<>();
        long commands = 0;
        long fast = 0;
        long slow = 0;
        for (long seed = 1; seed <= seeds && failures.size() < 5; seed++)
        {
            final SimulationConfig config = (faulty ?
                RandomizedSchedules.faultyConfig(seed, replicas) : RandomizedSchedules.config(seed, replicas))
                .toleratedFaults(faults);
            final SimulationResult result = new Simulation(config, ProtocolFactory.ATLAS).run();
            commands += result.commandsCompleted();
            fast += result.counters().fastPath;
            slow += result.counters().slowPath;
            if (!result.ok())
            {
                failures.add("seed " + seed + " failed: " + result);
            }
        }
        System.out.printf("Atlas N=%d f=%d%s: %d seeds, %d commands, fast %d / slow %d%n",
            replicas, faults, faulty ? " with faults" : "", seeds, commands, fast, slow);
        if (!failures.isEmpty())
        {
            fail(String.join("\n", failures));
        }
        assertTrue(commands > 0);
        assertTrue(faulty || slow > 0, "f = F must exercise the slow path somewhere");
    }
}
