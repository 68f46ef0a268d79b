package io.roundtable.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * When the network is split, and how: a list of intervals [startNs, endNs), each with a group per replica. While an
 * interval is active a message between replicas of different groups is dropped (not held until the heal: a real
 * partition loses what crosses it, and a protocol must cope with that). Every interval ends, so every partition heals.
 * Immutable.
 */
public final class PartitionSchedule
{
    /** One partition: from startNs (inclusive) to endNs (exclusive) replica i is in group groupOf[i]. */
    public static final class Partition
    {
        final long startNs;
        final long endNs;
        final int[] groupOf;

        public Partition(final long startNs, final long endNs, final int... groupOf)
        {
            if (startNs < 0 || endNs <= startNs || endNs == Long.MAX_VALUE)
            {
                throw new IllegalArgumentException("a partition needs 0 <= start < end < forever: [" + startNs + ", " +
                    endNs + ")");
            }
            this.startNs = startNs;
            this.endNs = endNs;
            this.groupOf = groupOf.clone();
        }

        boolean separates(final int from, final int to, final long nowNs)
        {
            return nowNs >= startNs && nowNs < endNs && groupOf[from] != groupOf[to];
        }

        public String toString()
        {
            return "[" + startNs / 1_000_000.0 + " ms, " + endNs / 1_000_000.0 + " ms) groups " +
                Arrays.toString(groupOf);
        }
    }

    private static final PartitionSchedule NONE = new PartitionSchedule(List.of());

    private final Partition[] partitions;

    public PartitionSchedule(final List<Partition> partitions)
    {
        this.partitions = partitions.toArray(new Partition[0]);
    }

    public static PartitionSchedule none()
    {
        return NONE;
    }

    /** One partition splitting the replicas into the groups given (replica i in group groupOf[i]). */
    public static PartitionSchedule of(final long startNs, final long endNs, final int... groupOf)
    {
        return new PartitionSchedule(List.of(new Partition(startNs, endNs, groupOf)));
    }

    /**
     * Between 1 and {@code maxPartitions} non-overlapping partitions starting in [0, horizonNs), each lasting
     * [minDurationNs, maxDurationNs] and splitting the replicas into two or three random non-empty groups.
     */
    public static PartitionSchedule random(
        final SplittableRandom random, final int replicas, final int maxPartitions, final long horizonNs,
        final long minDurationNs, final long maxDurationNs)
    {
        final int count = 1 + random.nextInt(maxPartitions);
        final List<Partition> partitions = new ArrayList<>(count);
        long earliestStart = 0;
        for (int i = 0; i < count && earliestStart < horizonNs; i++)
        {
            final long start = earliestStart + random.nextLong(Math.max(1, (horizonNs - earliestStart) / (count - i)));
            final long end = start + minDurationNs + random.nextLong(maxDurationNs - minDurationNs + 1);
            partitions.add(new Partition(start, end, randomGroups(random, replicas)));
            earliestStart = end + 1;
        }
        return new PartitionSchedule(partitions);
    }

    private static int[] randomGroups(final SplittableRandom random, final int replicas)
    {
        final int groups = replicas > 3 && random.nextBoolean() ? 3 : 2;
        final int[] groupOf = new int[replicas];
        while (true)
        {
            final boolean[] used = new boolean[groups];
            for (int r = 0; r < replicas; r++)
            {
                groupOf[r] = random.nextInt(groups);
                used[groupOf[r]] = true;
            }
            int nonEmpty = 0;
            for (final boolean u : used)
            {
                nonEmpty += u ? 1 : 0;
            }
            if (nonEmpty >= 2)
            {
                return groupOf;
            }
        }
    }

    public boolean separates(final int from, final int to, final long nowNs)
    {
        for (final Partition partition : partitions)
        {
            if (partition.separates(from, to, nowNs))
            {
                return true;
            }
        }
        return false;
    }

    public int count()
    {
        return partitions.length;
    }

    public boolean isEmpty()
    {
        return partitions.length == 0;
    }

    /** When the last partition heals; 0 if there is none. */
    public long healedAtNs()
    {
        long healed = 0;
        for (final Partition partition : partitions)
        {
            healed = Math.max(healed, partition.endNs);
        }
        return healed;
    }

    void validate(final int replicas)
    {
        for (final Partition partition : partitions)
        {
            if (partition.groupOf.length != replicas)
            {
                throw new IllegalArgumentException("partition " + partition + " names groups for " +
                    partition.groupOf.length + " replicas, the cluster has " + replicas);
            }
        }
    }

    public String toString()
    {
        return Arrays.toString(partitions);
    }
}
