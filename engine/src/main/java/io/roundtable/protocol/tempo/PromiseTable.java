package io.roundtable.protocol.tempo;

import io.roundtable.command.KeySet;
import io.roundtable.protocol.TimestampSink;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * What every replica (this one included) has promised on each key, and from it how far each key is stable (Tempo
 * §3/§4, stability detection).
 * <p>
 * A replica's promises on a key arrive as a cumulative snapshot: its clock ({@code clockUpTo}: every value up to it is
 * promised, to some command or to none) and its attached promises still in flight ({@code dot}, first value of the
 * range it gave that dot). An attached promise counts only once its dot has committed here, so the voter's frontier
 * on the key is its clock, capped below the first range whose dot has not. Because each snapshot is whole and the
 * frontier only ever grows (a stale snapshot yields a lower, still true, bound), a lost message leaves no hole: the next
 * one repairs it.
 * <p>
 * A key is stable up to the (⌊N/2⌋+1)-th largest frontier: a majority promised every value up to it. Any command with
 * a lower timestamp took its timestamp as the max of a majority's proposals; one of them is in this majority, whose
 * frontier covers its proposal only once that command has committed here.
 */
final class PromiseTable
{
    /** Whether a dot has committed (or been executed and forgotten) at this replica. */
    interface CommitView
    {
        boolean isCommitted(long dot);

        /**
         * A promise attached to {@code dot}, which has not committed here, holds a frontier back: the core learns or
         * recovers the dot if it stays undecided (a replica that missed its Commit and was in none of its quorums
         * would otherwise wait for good).
         */
        void awaitCommit(long dot);
    }

    private final int replicaCount;
    private final int threshold;
    private final CommitView commits;
    private final TimestampSink sink;
    private final Long2ObjectHashMap<KeyPromises> byKey = new Long2ObjectHashMap<>();
    private final ArrayDeque<KeyPromises> pool = new ArrayDeque<>();
    private final long[] sorted;
    private KeyPromises updating;
    private int updatingVoter;

    PromiseTable(final int replicaCount, final CommitView commits, final TimestampSink sink)
    {
        this.replicaCount = replicaCount;
        this.threshold = replicaCount / 2 + 1;
        this.commits = commits;
        this.sink = sink;
        this.sorted = new long[replicaCount];
    }

    /**
     * Starts {@code voter}'s snapshot for {@code key}; its attached promises follow through {@link #attached} and it
     * ends with {@link #endKey()}. A snapshot with a lower clock than one already seen is stale and ignored.
     */
    void beginKey(final int voter, final long key, final long clockUpTo)
    {
        KeyPromises promises = byKey.get(key);
        if (promises == null)
        {
            promises = pool.isEmpty() ? new KeyPromises(replicaCount) : pool.pop();
            byKey.put(key, promises);
        }
        if (clockUpTo < promises.clockUpTo[voter])
        {
            updating = null;
            return;
        }
        updating = promises;
        updatingVoter = voter;
        promises.clockUpTo[voter] = clockUpTo;
        promises.attachedCount[voter] = 0;
    }

    void attached(final long dot, final long from)
    {
        if (updating != null && !commits.isCommitted(dot))
        {
            updating.add(updatingVoter, dot, from);
            commits.awaitCommit(dot);
        }
    }

    void endKey(final long key)
    {
        if (updating != null)
        {
            updating.refresh(updatingVoter, commits);
            updateStable(key, updating);
            updating = null;
        }
    }

    /** {@code dot} committed here on {@code keys}: the promises attached to it count now. Empty keys: a no-op. */
    void onCommitted(final KeySet keys)
    {
        if (keys.isEmpty())
        {
            // a no-op's votes were given on the replaced command's keys, unknown here: look at every key (rare)
            final Long2ObjectHashMap<KeyPromises>.EntryIterator entries = byKey.entrySet().iterator();
            while (entries.hasNext())
            {
                entries.next();
                refreshKey(entries.getLongKey(), entries.getValue());
            }
            return;
        }
        for (int i = 0, n = keys.count(); i < n; i++)
        {
            final long key = keys.key(i);
            final KeyPromises promises = byKey.get(key);
            if (promises != null)
            {
                refreshKey(key, promises);
            }
        }
    }

    long stableUpTo(final long key)
    {
        final KeyPromises promises = byKey.get(key);
        return promises == null ? 0 : promises.stable;
    }

    long frontier(final int voter, final long key)
    {
        final KeyPromises promises = byKey.get(key);
        return promises == null ? 0 : promises.frontier[voter];
    }

    int keyCount()
    {
        return byKey.size();
    }

    boolean hasRow(final long key)
    {
        return byKey.containsKey(key);
    }

    /**
     * Forgets {@code key}'s row unless a promise on it still waits for its dot to commit here. Safe at any time: every
     * row holds true lower bounds only, so a row learnt again from later promises messages starts lower and grows,
     * and the executor is told to forget the key's stable frontier with it, so the two grow again together. Only
     * liveness is at stake, which is why the core forgets quiet keys only (see {@code KeyReclaimer}).
     *
     * @return true if the key has no row any more.
     */
    boolean forget(final long key)
    {
        final KeyPromises promises = byKey.get(key);
        if (promises == null)
        {
            return true;
        }
        for (int voter = 0; voter < replicaCount; voter++)
        {
            if (promises.attachedCount[voter] > 0)
            {
                promises.refresh(voter, commits);
                if (promises.attachedCount[voter] > 0)
                {
                    return false;
                }
            }
        }
        byKey.remove(key);
        promises.reset();
        pool.push(promises);
        return true;
    }

    private void refreshKey(final long key, final KeyPromises promises)
    {
        if (!promises.anyAttached())
        {
            return;
        }
        for (int voter = 0; voter < replicaCount; voter++)
        {
            if (promises.attachedCount[voter] > 0)
            {
                promises.refresh(voter, commits);
            }
        }
        updateStable(key, promises);
    }

    private void updateStable(final long key, final KeyPromises promises)
    {
        System.arraycopy(promises.frontier, 0, sorted, 0, replicaCount);
        Arrays.sort(sorted);
        final long stable = sorted[replicaCount - threshold];
        if (stable > promises.stable)
        {
            promises.stable = stable;
            sink.onStable(key, stable);
        }
    }

    /** One key: per voter its last snapshot (clock, attached promises not committed here) and its frontier. */
    private static final class KeyPromises
    {
        final long[] clockUpTo;
        final long[] frontier;
        final int[] attachedCount;
        long[][] attachedDots;
        long[][] attachedFrom;
        long stable;

        KeyPromises(final int replicaCount)
        {
            clockUpTo = new long[replicaCount];
            frontier = new long[replicaCount];
            attachedCount = new int[replicaCount];
            attachedDots = new long[replicaCount][];
            attachedFrom = new long[replicaCount][];
        }

        void reset()
        {
            Arrays.fill(clockUpTo, 0);
            Arrays.fill(frontier, 0);
            Arrays.fill(attachedCount, 0);
            stable = 0;
        }

        boolean anyAttached()
        {
            for (final int count : attachedCount)
            {
                if (count > 0)
                {
                    return true;
                }
            }
            return false;
        }

        void add(final int voter, final long dot, final long from)
        {
            final int count = attachedCount[voter];
            if (attachedDots[voter] == null)
            {
                attachedDots[voter] = new long[4];
                attachedFrom[voter] = new long[4];
            }
            else if (count == attachedDots[voter].length)
            {
                attachedDots[voter] = Arrays.copyOf(attachedDots[voter], count * 2);
                attachedFrom[voter] = Arrays.copyOf(attachedFrom[voter], count * 2);
            }
            attachedDots[voter][count] = dot;
            attachedFrom[voter][count] = from;
            attachedCount[voter] = count + 1;
        }

        /** Drops attached promises whose dot has committed, then raises the voter's frontier as far as it now goes. */
        void refresh(final int voter, final CommitView commits)
        {
            long cap = clockUpTo[voter];
            int count = attachedCount[voter];
            final long[] dots = attachedDots[voter];
            final long[] from = attachedFrom[voter];
            for (int i = count - 1; i >= 0; i--)
            {
                if (commits.isCommitted(dots[i]))
                {
                    count--;
                    dots[i] = dots[count];
                    from[i] = from[count];
                }
                else
                {
                    cap = Math.min(cap, from[i] - 1);
                }
            }
            attachedCount[voter] = count;
            if (cap > frontier[voter])
            {
                frontier[voter] = cap;
            }
        }
    }
}
