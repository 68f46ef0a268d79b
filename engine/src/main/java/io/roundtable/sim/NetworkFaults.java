package io.roundtable.sim;

import java.util.SplittableRandom;

/**
 * Decides the fate of each message the simulated network carries. The simulator asks once per message; everything
 * random comes from the simulation's one seeded generator, so a schedule replays exactly from its seed. This issue's
 * faults are delay jitter (which reorders) and duplication; loss, partitions and crashes plug in here.
 */
public interface NetworkFaults
{
    /** @return false to lose the message. */
    boolean deliver(int from, int to, long nowNs, SplittableRandom random);

    /** @return extra copies to deliver (0 for none). */
    int duplicates(int from, int to, long nowNs, SplittableRandom random);

    /** @return extra delay added to the link's one-way latency. */
    long jitterNs(int from, int to, long nowNs, SplittableRandom random);

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
}
