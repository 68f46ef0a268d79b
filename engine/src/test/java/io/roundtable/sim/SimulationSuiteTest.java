package io.roundtable.sim;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The randomized simulator suite: seeded schedules with random delays, reordering and duplication, each checked for
 * agreement, per-key execution order, linearizability of the client history and liveness. The seed count per
 * replica count comes from {@code -Droundtable.sim.seeds} (the pom sets the CI default); a failing seed prints the
 * command that replays it.
 */
class SimulationSuiteTest
{
    private static int seedsPerReplicaCount()
    {
        return Integer.getInteger("roundtable.sim.seeds", 200);
    }

    @ParameterizedTest(name = "EPaxos N={0}")
    @ValueSource(ints = {3, 5, 7})
    void everyRandomScheduleKeepsAgreementOrderLinearizabilityAndLiveness(final int replicas)
    {
        final int seeds = replicas == 7 ? Math.max(1, seedsPerReplicaCount() / 5) : seedsPerReplicaCount();
        final List<String> failures = new ArrayList<>();
        long commands = 0;
        long fast = 0;
        long slow = 0;
        final long started = System.nanoTime();
        for (long seed = 1; seed <= seeds; seed++)
        {
            final SimulationResult result =
                new Simulation(RandomizedSchedules.config(seed, replicas), ProtocolFactory.EPAXOS).run();
            commands += result.commandsCompleted();
            fast += result.counters().fastPath;
            slow += result.counters().slowPath;
            if (!result.ok())
            {
                failures.add("seed " + seed + " failed: " + result + "\n  replay: " +
                    RandomizedSchedules.replayCommand(seed, replicas));
                if (failures.size() >= 5)
                {
                    break;
                }
            }
        }
        final double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("simulator suite EPaxos N=%d: %d seeds, %d commands, fast %d / slow %d, %.1f s, %.0f seeds/s%n",
            replicas, seeds, commands, fast, slow, seconds, seeds / seconds);
        if (!failures.isEmpty())
        {
            fail(String.join("\n", failures));
        }
        assertTrue(commands > 0);
    }

    /** Replays one seed given as {@code -Droundtable.sim.replay=seed:replicas}, printing its summary. */
    @Test
    void replay()
    {
        final String spec = System.getProperty("roundtable.sim.replay");
        Assumptions.assumeTrue(spec != null, "set -Droundtable.sim.replay=seed:replicas to replay a seed");
        final String[] parts = spec.split(":");
        final SimulationResult result = new Simulation(
            RandomizedSchedules.config(Long.parseLong(parts[0]), Integer.parseInt(parts[1])), ProtocolFactory.EPAXOS).run();
        System.out.println(result);
        assertTrue(result.ok(), result.toString());
    }
}
