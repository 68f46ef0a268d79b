package io.roundtable.sim;

import io.roundtable.config.ProtocolName;
import io.roundtable.latency.LatencyMatrix;
import io.roundtable.protocol.PeerRanking;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A straggler, in the simulator: every message replica 1 sends takes 20 ms, every other 1 ms. Coordinators re-rank
 * their thrifty quorums around it ({@code PeerRanking}) while the faulty schedules crash, partition and drop; every
 * run must still pass every check, and re-ranking must have happened, so the suites' safety checks cover it.
 */
class StragglerSimulationTest
{
    private static final long MS = 1_000_000L;
    private static final int REPLICAS = 5;

    @ParameterizedTest
    @EnumSource(value = ProtocolName.class, names = {"EPAXOS", "ATLAS", "TEMPO"})
    void quorumsRouteAroundAStragglerAndEveryCheckHolds(final ProtocolName protocol)
    {
        long reranks = 0;
        for (long seed = 1; seed <= 30; seed++)
        {
            final SimulationConfig config = (seed % 3 == 0 ? RandomizedSchedules.config(seed, REPLICAS) :
                RandomizedSchedules.faultyConfig(seed, REPLICAS))
                .latency(straggler())
                .commandsPerClient(400) // long enough to run well past the ranking's warm-up
                .phaseTimeoutNs(100 * MS);
            final SimulationResult result = new Simulation(config, SimulatedProtocols.factory(protocol)).run();
            final long seedUsed = seed;
            assertTrue(result.ok(), () -> protocol + " seed " + seedUsed + ": " + result);
            reranks += result.counters().thriftyReranks;
        }
        final long total = reranks;
        assertTrue(total > 0, () -> protocol + ": no coordinator ever re-ranked its peers (warm-up " +
            PeerRanking.WARM_UP_NS / MS + " ms)");
    }

    private static LatencyMatrix straggler()
    {
        final long[][] oneWayNs = new long[REPLICAS][REPLICAS];
        for (int from = 0; from < REPLICAS; from++)
        {
            Arrays.fill(oneWayNs[from], from == 1 ? 20 * MS : MS);
            oneWayNs[from][from] = 0;
        }
        return LatencyMatrix.of(oneWayNs);
    }
}
