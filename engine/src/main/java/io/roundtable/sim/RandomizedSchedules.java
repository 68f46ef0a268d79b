package io.roundtable.sim;

import java.util.SplittableRandom;

/**
 * The randomized simulator suite's schedules: everything about a run (workload mix, delays, jitter, duplication)
 * derives from its seed and replica count, so {@code roundtable simulate --suite-seed S --replicas N} (or
 * {@link #config(long, int)}) replays a failing seed exactly.
 */
public final class RandomizedSchedules
{
    private RandomizedSchedules()
    {
    }

    public static SimulationConfig config(final long seed, final int replicas)
    {
        final SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + replicas);
        final double[] conflictRates = {0.0, 0.02, 0.1, 0.5, 1.0};
        final long oneWayNs = 100_000L + random.nextLong(5_000_000L);
        return new SimulationConfig()
            .seed(seed)
            .replicas(replicas)
            .clientsPerReplica(1 + random.nextInt(3))
            .commandsPerClient(10 + random.nextInt(40))
            .conflictRate(conflictRates[random.nextInt(conflictRates.length)])
            .hotKeys(1 + random.nextInt(3))
            .readRatio(random.nextDouble() * 0.5)
            .casRatio(random.nextDouble() * 0.3)
            .uniformOneWayNs(oneWayNs)
            .maxJitterNs(random.nextBoolean() ? 0 : random.nextLong(oneWayNs * 3))
            .duplicateProbability(random.nextBoolean() ? 0 : random.nextDouble() * 0.2)
            .maxThinkTimeNs(random.nextLong(2_000_000L));
    }

    public static String replayCommand(final long seed, final int replicas)
    {
        return "java -jar tools/target/roundtable.jar simulate --suite-seed " + seed + " --replicas " + replicas +
            "   (or: mvn -B -pl engine -am test -Dtest=SimulationSuiteTest#replay -Dsurefire.failIfNoSpecifiedTests=false" +
            " -Droundtable.sim.replay=" + seed + ":" + replicas + ")";
    }
}
