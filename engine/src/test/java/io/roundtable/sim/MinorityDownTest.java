package io.roundtable.sim;

import io.roundtable.config.ProtocolName;
import io.roundtable.protocol.ProtocolFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Liveness while f replicas stay down: the randomized suites only check liveness once every fault has healed, but
 * tolerating f failures means every command completes while they last. Replicas crash in the middle of the workload
 * and come back only long after it should have finished; every client's command must complete before that.
 */
class MinorityDownTest
{
    private static final long MS = 1_000_000L;
    private static final long DOWN_UNTIL_NS = 600_000 * MS;

    @ParameterizedTest
    @EnumSource(ProtocolName.class)
    void everyCommandCompletesWhileFReplicasAreDown(final ProtocolName protocol)
    {
        for (final int replicas : new int[] {3, 5})
        {
            final ProtocolFactory factory = SimulatedProtocols.factory(protocol);
            final int faults = factory.defaultFaults(replicas);
            for (final long seed : new long[] {1, 2, 3})
            {
                final List<CrashSchedule.Crash> crashes = new ArrayList<>();
                for (int down = 0; down < faults; down++)
                {
                    // the highest ids, so neither replica 0 (Paxos's first leader) nor always the same quorum
                    crashes.add(new CrashSchedule.Crash(replicas - 1 - down, (40 + 15 * down) * MS, DOWN_UNTIL_NS,
                        false));
                }
                final SimulationConfig config = new SimulationConfig().seed(seed).replicas(replicas)
                    .toleratedFaults(faults).clientsPerReplica(2).commandsPerClient(30).conflictRate(0.3)
                    .crashes(new CrashSchedule(crashes)).maxSimulatedNs(DOWN_UNTIL_NS - MS);
                final SimulationResult result = new Simulation(config, factory).run();
                final String where = protocol + " N=" + replicas + " f=" + faults + " seed " + seed + ": " + result;

                assertEquals(List.of(), result.safetyViolations(), where);
                assertEquals(replicas * 2 * 30, result.commandsCompleted(), where);
                assertTrue(result.simulatedNs() < DOWN_UNTIL_NS, where);
            }
        }
    }
}
