package io.roundtable.sim;

import java.util.SplittableRandom;

/**
 * Decides the fate of each message the simulated network carries. The simulator asks once per message; everything
 * random comes from the simulation's one seeded generator, so a schedule replays exactly from its seed. Faults compose
 * with {@link #and(NetworkFaults)}; crashes are not a network fault (see {@link CrashSchedule}).
 * <p>
 * An implementation that draws nothing for a fault it does not inject (loss probability 0, no partition) leaves the
 * generator's sequence, and so the whole run, exactly as it would be without it.
 */
public interface NetworkFaults
{
    /** @return false to lose the message. */
    boolean deliver(int from, int to, long nowNs, SplittableRandom random);

    /** @return extra copies to deliver (0 for none). */
    int duplicates(int from, int to, long nowNs, SplittableRandom random);

    /** @return extra delay added to the link's one-way latency. */
    long jitterNs(int from, int to, long nowNs, SplittableRandom random);

    /**
     * Both faults: a message is delivered only if both deliver it (this one asked first, the other only if this one
     * delivers), copies and jitter add up.
     */
    default NetworkFaults and(final NetworkFaults other)
    {
        final NetworkFaults self = this;
        return new NetworkFaults()
        {
            public boolean deliver(final int from, final int to, final long nowNs, final SplittableRandom random)
            {
                return self.deliver(from, to, nowNs, random) && other.deliver(from, to, nowNs, random);
            }

            public int duplicates(final int from, final int to, final long nowNs, final SplittableRandom random)
            {
                return self.duplicates(from, to, nowNs, random) + other.duplicates(from, to, nowNs, random);
            }

            public long jitterNs(final int from, final int to, final long nowNs, final SplittableRandom random)
            {
                return self.jitterNs(from, to, nowNs, random) + other.jitterNs(from, to, nowNs, random);
            }
        };
    }

    /** A perfect network: every message once, on time. */
    static NetworkFaults none()
    {
        return jitterAndDuplication(0, 0);
    }

    /** Random jitter in [0, maxJitterNs] and duplication with the given probability; nothing lost. */
    static NetworkFaults jitterAndDuplication(final long maxJitterNs, final double duplicateProbability)
    {
        return new NetworkFaults()
        {
            public boolean deliver(final int from, final int to, final long nowNs, final SplittableRandom random)
            {
                return true;
            }

            public int duplicates(final int from, final int to, final long nowNs, final SplittableRandom random)
            {
                return random.nextDouble() < duplicateProbability ? 1 : 0;
            }

            public long jitterNs(final int from, final int to, final long nowNs, final SplittableRandom random)
            {
                return maxJitterNs == 0 ? 0 : random.nextLong(maxJitterNs + 1);
            }
        };
    }

    /**
     * Loses each message sent in [fromNs, untilNs) independently with {@code probability}. Loss has an end so that
     * liveness can be asked of the run once it is over; draws nothing outside the window or when the probability is 0.
     */
    static NetworkFaults randomLoss(final double probability, final long fromNs, final long untilNs)
    {
        if (probability < 0 || probability > 1)
        {
            throw new IllegalArgumentException("loss probability outside [0, 1]: " + probability);
        }
        return new NetworkFaults()
        {
            public boolean deliver(final int from, final int to, final long nowNs, final SplittableRandom random)
            {
                if (probability == 0 || nowNs < fromNs || nowNs >= untilNs)
                {
                    return true;
                }
                return random.nextDouble() >= probability;
            }

            public int duplicates(final int from, final int to, final long nowNs, final SplittableRandom random)
            {
                return 0;
            }

            public long jitterNs(final int from, final int to, final long nowNs, final SplittableRandom random)
            {
                return 0;
            }
        };
    }

    /** Drops every message sent between replicas the schedule separates at the time of sending. */
    static NetworkFaults partitions(final PartitionSchedule schedule)
    {
        return new NetworkFaults()
        {
            public boolean deliver(final int from, final int to, final long nowNs, final SplittableRandom random)
            {
                return !schedule.separates(from, to, nowNs);
            }

            public int duplicates(final int from, final int to, final long nowNs, final SplittableRandom random)
            {
                return 0;
            }

            public long jitterNs(final int from, final int to, final long nowNs, final SplittableRandom random)
            {
                return 0;
            }
        };
    }
}
