package io.roundtable.sim;

import java.util.SplittableRandom;

/**
 * The kinds of fault a randomized schedule injects on top of jitter and duplication. Every fault is drawn from the
 * schedule's seed and placed while the workload runs (in [0, horizonNs)), and every one ends: loss stops, partitions
 * heal, crashed replicas restart.
 */
public enum FaultMix
{
    NONE,
    LOSS,
    PARTITIONS,
    CRASHES,
    EVERYTHING;

    private static final int MAX_PARTITIONS = 3;
    private static final int MAX_CRASHES = 4;
    private static final double TORN_CRASH_PROBABILITY = 0.3;

    /**
     * Adds this mix's faults to {@code config}. Partitions and crash downtimes range from a tenth of the phase timeout
     * (shorter than any timer fires) to a few phase timeouts (long enough for coordinators to widen and give up).
     */
    public SimulationConfig applyTo(final SimulationConfig config, final SplittableRandom random, final long horizonNs)
    {
        final boolean loss = this == LOSS || this == EVERYTHING;
        final boolean partitions = this == PARTITIONS || this == EVERYTHING;
        final boolean crashes = this == CRASHES || this == EVERYTHING;
        final long shortNs = config.phaseTimeoutNs / 10;
        if (loss)
        {
            final long from = random.nextLong(horizonNs / 2 + 1);
            config.loss(0.005 + random.nextDouble() * 0.15, from, from + 1 + random.nextLong(horizonNs));
        }
        if (partitions)
        {
            config.partitions(PartitionSchedule.random(
                random, config.replicas, MAX_PARTITIONS, horizonNs, shortNs, 2 * config.phaseTimeoutNs));
        }
        if (crashes)
        {
            config.crashes(CrashSchedule.random(random, config.replicas, MAX_CRASHES, horizonNs, shortNs,
                3 * config.phaseTimeoutNs, TORN_CRASH_PROBABILITY));
        }
        return config;
    }
}
