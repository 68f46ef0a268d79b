package io.roundtable.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which replicas crash, when, and when they restart. Never more than F = (N-1)/2 replicas are down at once (more and
 * no protocol in the family can make progress), and every crashed replica restarts, so a run can be asked to finish
 * once the schedule is over. A crash discards everything of the replica except its journal; a restart replays the
 * journal into fresh objects (see {@code SimReplica}).
 * <p>
 * A <em>torn</em> crash models dying between journaling and sending: the replica crashes right after the first
 * event at or after {@code crashAtNs} that journals something, keeping what that event journaled but losing every
 * message and client reply the event produced (if no such event comes, it crashes idle at its restart time). It is
 * the case pitfall 2 of PROTOCOLS.md is about. Immutable.
 */
public final class CrashSchedule
{
    /** One crash of one replica. */
    public static final class Crash
    {
        final int replica;
        final long crashAtNs;
        final long restartAtNs;
        final boolean torn;

        public Crash(final int replica, final long crashAtNs, final long restartAtNs, final boolean torn)
        {
            if (replica < 0 || crashAtNs < 0 || restartAtNs <= crashAtNs || restartAtNs == Long.MAX_VALUE)
            {
                throw new IllegalArgumentException("a crash needs a replica, 0 <= crashAt < restartAt < forever: " +
                    "replica " + replica + " [" + crashAtNs + ", " + restartAtNs + ")");
            }
            this.replica = replica;
            this.crashAtNs = crashAtNs;
            this.restartAtNs = restartAtNs;
            this.torn = torn;
        }

        public String toString()
        {
            return "replica " + replica + " down [" + crashAtNs / 1_000_000.0 + " ms, " + restartAtNs / 1_000_000.0 +
                " ms)" + (torn ? " torn" : "");
        }
    }

    private static final CrashSchedule NONE = new CrashSchedule(List.of());

    private final Crash[] crashes;

    public CrashSchedule(final List<Crash> crashes)
    {
        final Crash[] sorted = crashes.toArray(new Crash[0]);
        Arrays.sort(sorted, Comparator.comparingLong((Crash c) -> c.crashAtNs).thenComparingInt(c -> c.replica));
        this.crashes = sorted;
    }

    public static CrashSchedule none()
    {
        return NONE;
    }

    public static CrashSchedule of(final Crash... crashes)
    {
        return new CrashSchedule(List.of(crashes));
    }

    /**
     * Up to {@code maxCrashes} crashes at random times in [0, horizonNs), each down for [minDownNs, maxDownNs], torn
     * with probability {@code tornProbability}. A candidate that would take more than F replicas down at once, or
     * crash a replica that is already down, is skipped, so the result always satisfies {@link #validate(int)}.
     */
    public static CrashSchedule random(
        final SplittableRandom random, final int replicas, final int maxCrashes, final long horizonNs,
        final long minDownNs, final long maxDownNs, final double tornProbability)
    {
        final int maxDown = (replicas - 1) / 2;
        final List<Crash> crashes = new ArrayList<>();
        final int candidates = 1 + random.nextInt(maxCrashes);
        for (int i = 0; i < candidates; i++)
        {
            final int replica = random.nextInt(replicas);
            final long crashAt = random.nextLong(horizonNs);
            final long restartAt = crashAt + minDownNs + random.nextLong(maxDownNs - minDownNs + 1);
            final boolean torn = random.nextDouble() < tornProbability;
            final Crash candidate = new Crash(replica, crashAt, restartAt, torn);
            crashes.add(candidate);
            if (maxDownAtOnce(crashes) > maxDown || replicaDownTwiceAtOnce(crashes))
            {
                crashes.remove(crashes.size() - 1);
            }
        }
        return new CrashSchedule(crashes);
    }

    /** Throws unless at most F replicas are ever down at once and no replica crashes while down. */
    public void validate(final int replicas)
    {
        final List<Crash> list = Arrays.asList(crashes);
        for (final Crash crash : crashes)
        {
            if (crash.replica >= replicas)
            {
                throw new IllegalArgumentException(
                    "crash of replica " + crash.replica + " in a cluster of " + replicas);
            }
        }
        if (maxDownAtOnce(list) > (replicas - 1) / 2)
        {
            throw new IllegalArgumentException(
                "more than F = " + (replicas - 1) / 2 + " replicas down at once: " + this);
        }
        if (replicaDownTwiceAtOnce(list))
        {
            throw new IllegalArgumentException("a replica crashes again before it restarted: " + this);
        }
    }

    /**
     * The most replicas down at one instant. Down intervals are [crashAt, restartAt]: closed, because a torn crash
     * happens a little after crashAt and a restart at the same instant as another crash must still count both.
     */
    private static int maxDownAtOnce(final List<Crash> crashes)
    {
        int max = 0;
        for (final Crash at : crashes)
        {
            int down = 0;
            for (final Crash other : crashes)
            {
                if (other.crashAtNs <= at.crashAtNs && at.crashAtNs <= other.restartAtNs)
                {
                    down++;
                }
            }
            max = Math.max(max, down);
        }
        return max;
    }

    private static boolean replicaDownTwiceAtOnce(final List<Crash> crashes)
    {
        for (int i = 0; i < crashes.size(); i++)
        {
            for (int j = i + 1; j < crashes.size(); j++)
            {
                final Crash a = crashes.get(i);
                final Crash b = crashes.get(j);
                if (a.replica == b.replica && a.crashAtNs <= b.restartAtNs && b.crashAtNs <= a.restartAtNs)
                {
                    return true;
                }
            }
        }
        return false;
    }

    public int count()
    {
        return crashes.length;
    }

    public boolean isEmpty()
    {
        return crashes.length == 0;
    }

    Crash get(final int index)
    {
        return crashes[index];
    }

    /** When the last crashed replica restarts; 0 if none crashes. */
    public long restartedAtNs()
    {
        long last = 0;
        for (final Crash crash : crashes)
        {
            last = Math.max(last, crash.restartAtNs);
        }
        return last;
    }

    public String toString()
    {
        return Arrays.toString(crashes);
    }
}
