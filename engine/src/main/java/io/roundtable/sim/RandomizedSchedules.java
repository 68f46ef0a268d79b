package io.roundtable.sim;

import java.util.SplittableRandom;

/**
 * The randomized simulator suite's schedules: everything about a run (workload mix, delays, jitter, duplication)
 * derives from its seed and replica count, so {@code roundtable simulate --suite-seed S --replicas N} (or
 * {@link #config(long, int)}) replays a failing seed exactly. {@link #faultyConfig(long, int)} adds a fault mix
 * (loss, partitions, crashes) drawn from the same seed to the same workload.
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
            .maxThinkTimeNs(random.nextLong(2_000_000L))
            // half the seeds batch like the runtime: up to 8 commands gathered for up to 300 µs
            .batching(random.nextBoolean() ? 1 : 2 + random.nextInt(7), random.nextLong(300_000L))
            // a third checkpoint often, so replays start from checkpoints and journals release records
            .checkpointEveryRecords(random.nextInt(3) == 0 ? 10 + random.nextInt(150) : 0);
    }

    /**
     * {@link #config(long, int)}'s workload with a {@link FaultMix} chosen from the seed (each equally likely, NONE
     * included) and its faults drawn from the seed too. The faults come from a generator of their own, so the
     * workload of a seed is the same with and without them.
     */
    public static SimulationConfig faultyConfig(final long seed, final int replicas)
    {
        final SplittableRandom random = faultRandom(seed, replicas);
        final FaultMix mix = FaultMix.values()[random.nextInt(FaultMix.values().length)];
        final SimulationConfig config = config(seed, replicas);
        return mix.applyTo(config, random, horizonNs(config));
    }

    /** {@link #config(long, int)}'s workload with the given fault mix, its faults drawn from the seed. */
    public static SimulationConfig faultyConfig(final long seed, final int replicas, final FaultMix mix)
    {
        final SplittableRandom random = faultRandom(seed, replicas);
        random.nextInt(FaultMix.values().length); // the draw faultyConfig(seed, replicas) spends on choosing a mix
        final SimulationConfig config = config(seed, replicas);
        return mix.applyTo(config, random, horizonNs(config));
    }

    private static SplittableRandom faultRandom(final long seed, final int replicas)
    {
        return new SplittableRandom((seed * 0x9E3779B97F4A7C15L + replicas) ^ 0x5DEECE66DL);
    }

    /** About how long the workload runs without faults: when faults should strike to hit commands in flight. */
    private static long horizonNs(final SimulationConfig config)
    {
        final long roundTrips = 6 * (config.uniformOneWayNs + config.maxJitterNs) + config.maxThinkTimeNs;
        return Math.max(1_000_000L, config.commandsPerClient * roundTrips);
    }

    /** How to replay one seed of the suites, from the tools jar or from Maven. */
    public static String replayCommand(
        final String protocol, final long seed, final int replicas, final boolean faulty)
    {
        return "java -jar tools/target/roundtable.jar simulate --protocol " + protocol + " --suite-seed " + seed +
            " --replicas " + replicas + (faulty ? " --faulty" : "") + "   (or: mvn -B -pl engine -am test " +
            "-Dtest=SimulationSuiteTest#replay -Dsurefire.failIfNoSpecifiedTests=false -Droundtable.sim.replay=" +
            protocol + ":" + seed + ":" + replicas + (faulty ? ":faulty" : "") + ")";
    }
}
