package io.roundtable.sim;

import io.roundtable.config.ProtocolName;
import io.roundtable.protocol.ProtocolFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The randomized simulator suite: seeded schedules with random delays, reordering and duplication, each checked for
 * agreement, per-key execution order, linearizability of the client history and liveness. The seed count per
 * replica count comes from {@code -Droundtable.sim.seeds} (the pom sets the CI default); a failing seed prints the
 * command that replays it.
 * <p>
 * The faulty suite adds message loss, partitions that heal, and crashes of up to F replicas (some "torn": between
 * journaling and sending) with restarts from the journal, checked for the same properties, liveness included once
 * every fault has healed; seeds per replica count from {@code -Droundtable.sim.faultySeeds}.
 */
class SimulationSuiteTest
{
    private static int seedsPerReplicaCount()
    {
        return Integer.getInteger("roundtable.sim.seeds", 200);
    }

    private static int faultySeedsPerReplicaCount()
    {
        return Integer.getInteger("roundtable.sim.faultySeeds", 50);
    }

    @ParameterizedTest(name = "{0} N={1}")
    @MethodSource("io.roundtable.sim.SimulatedProtocols#protocolsAndReplicaCounts")
    void everyRandomScheduleKeepsAgreementOrderLinearizabilityAndLiveness(
        final ProtocolName protocol, final int replicas)
    {
        final ProtocolFactory factory = SimulatedProtocols.factory(protocol);
        final int seeds = replicas == 7 ? Math.max(1, seedsPerReplicaCount() / 5) : seedsPerReplicaCount();
        final List<String> failures = new ArrayList<>();
        long commands = 0;
        long fast = 0;
        long slow = 0;
        final long started = System.nanoTime();
        for (long seed = 1; seed <= seeds; seed++)
        {
            final SimulationResult result =
                new Simulation(RandomizedSchedules.config(seed, replicas), factory).run();
            commands += result.commandsCompleted();
            fast += result.counters().fastPath;
            slow += result.counters().slowPath;
            if (!result.ok())
            {
                failures.add("seed " + seed + " failed: " + result + "\n  replay: " +
                    RandomizedSchedules.replayCommand(protocol.configName(), seed, replicas, false));
                if (failures.size() >= 5)
                {
                    break;
                }
            }
        }
        final double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("simulator suite %s N=%d: %d seeds, %d commands, fast %d / slow %d, %.1f s, %.0f seeds/s%n",
            SimulatedProtocols.displayName(protocol), replicas, seeds, commands, fast, slow, seconds, seeds / seconds);
        if (!failures.isEmpty())
        {
            fail(String.join("\n", failures));
        }
        assertTrue(commands > 0);
    }

    @ParameterizedTest(name = "{0} N={1} with faults")
    @MethodSource("io.roundtable.sim.SimulatedProtocols#protocolsAndReplicaCounts")
    void everyFaultyScheduleKeepsAgreementOrderLinearizabilityAndLiveness(
        final ProtocolName protocol, final int replicas)
    {
        final ProtocolFactory factory = SimulatedProtocols.factory(protocol);
        final int seeds = replicas == 7 ? Math.max(1, faultySeedsPerReplicaCount() / 5) : faultySeedsPerReplicaCount();
        final List<String> failures = new ArrayList<>();
        long commands = 0;
        final FaultCounters faults = new FaultCounters();
        final long started = System.nanoTime();
        long run = 0;
        for (long seed = 1; seed <= seeds; seed++)
        {
            final SimulationResult result =
                new Simulation(RandomizedSchedules.faultyConfig(seed, replicas), factory).run();
            run++;
            commands += result.commandsCompleted();
            add(result.faults(), faults);
            if (!result.ok())
            {
                failures.add("seed " + seed + " failed: " + result + "\n  replay: " +
                    RandomizedSchedules.replayCommand(protocol.configName(), seed, replicas, true));
                if (failures.size() >= 5)
                {
                    break;
                }
            }
        }
        final double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("faulty simulator suite %s N=%d: %d of %d seeds run, %d failed, %d commands, %.1f s; " +
            "faults: %s%n", SimulatedProtocols.displayName(protocol), replicas, run, seeds, failures.size(), commands, seconds, faults);
        if (!failures.isEmpty())
        {
            fail(String.join("\n", failures));
        }
        assertTrue(commands > 0);
    }

    private static void add(final FaultCounters run, final FaultCounters total)
    {
        total.messagesLost += run.messagesLost;
        total.messagesCut += run.messagesCut;
        total.messagesToCrashedReplica += run.messagesToCrashedReplica;
        total.messagesUnsentAtCrash += run.messagesUnsentAtCrash;
        total.crashes += run.crashes;
        total.tornCrashes += run.tornCrashes;
        total.restarts += run.restarts;
        total.partitions += run.partitions;
        total.clientRetries += run.clientRetries;
        total.duplicatesSkipped += run.duplicatesSkipped;
        total.checkpoints += run.checkpoints;
        total.restartsFromCheckpoint += run.restartsFromCheckpoint;
    }

    /**
     * Replays one seed given as {@code -Droundtable.sim.replay=protocol:seed:replicas} (a fault-free suite seed) or
     * {@code protocol:seed:replicas:faulty} (a faulty suite seed), printing its summary.
     */
    @Test
    void replay()
    {
        final String spec = System.getProperty("roundtable.sim.replay");
        Assumptions.assumeTrue(spec != null,
            "set -Droundtable.sim.replay=protocol:seed:replicas[:faulty] to replay a seed");
        final String[] parts = spec.split(":");
        final ProtocolName protocol = ProtocolName.fromName(parts[0]);
        final long seed = Long.parseLong(parts[1]);
        final int replicas = Integer.parseInt(parts[2]);
        final boolean faulty = parts.length > 3 && "faulty".equals(parts[3]);
        final SimulationConfig config =
            faulty ? RandomizedSchedules.faultyConfig(seed, replicas) : RandomizedSchedules.config(seed, replicas);
        final SimulationResult result = new Simulation(config, SimulatedProtocols.factory(protocol)).run();
        System.out.println(result);
        assertTrue(result.ok(), result.toString());
    }
}
