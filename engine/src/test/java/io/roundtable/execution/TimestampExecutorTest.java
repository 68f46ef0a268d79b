package io.roundtable.execution;

import io.roundtable.command.KeySet;
import io.roundtable.protocol.Dot;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.LongArrayList;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimestampExecutorTest
{
    private final LongArrayList executed = new LongArrayList();
    private final TimestampExecutor executor = new TimestampExecutor(3, 4, executed::addLong);

    private static KeySet keys(final long... keys)
    {
        final KeySet set = new KeySet();
        for (final long key : keys)
        {
            set.add(key, true);
        }
        return set;
    }

    private void drain()
    {
        while (executor.execute(16) > 0)
        {
            // keep going
        }
    }

    @Test
    void executesInTimestampThenDotOrder()
    {
        final long a = Dot.of(2, 1);
        final long b = Dot.of(0, 1);
        final long c = Dot.of(1, 1);
        executor.commit(a, 5, keys(1));
        executor.commit(b, 7, keys(1));
        executor.commit(c, 5, keys(1));
        drain();
        assertTrue(executed.isEmpty(), "nothing is stable yet");
        executor.stable(1, 6);
        drain();
        assertEquals(List.of(c, a), executed, "timestamp 5 twice: dot 1.1 before 2.1; 7 is not stable");
        executor.stable(1, 7);
        drain();
        assertEquals(List.of(c, a, b), executed);
    }

    @Test
    void multiKeyCommandWaitsForStabilityOnAllKeys()
    {
        final long multi = Dot.of(0, 1);
        final long single = Dot.of(1, 1);
        executor.commit(multi, 3, keys(1, 2));
        executor.commit(single, 4, keys(2));
        executor.stable(1, 10);
        drain();
        assertTrue(executed.isEmpty(), "key 2 is not stable");
        executor.stable(2, 4);
        drain();
        assertEquals(List.of(multi, single), executed);
    }

    @Test
    void multiKeyCommandWaitsForEarlierCommandsOnEachKey()
    {
        final long early = Dot.of(1, 1);
        final long multi = Dot.of(0, 1);
        executor.commit(multi, 5, keys(1, 2));
        executor.stable(1, 10);
        executor.stable(2, 10);
        executor.commit(early, 2, keys(2)); // protocol-wise impossible after stability, but order must still hold
        drain();
        assertEquals(List.of(early, multi), executed);
    }

    @Test
    void noOpExecutesAtCommit()
    {
        final long noOp = Dot.of(0, 1);
        executor.commit(noOp, 0, keys());
        drain();
        assertEquals(List.of(noOp), executed);
        assertTrue(executor.isExecuted(noOp));
        assertEquals(0, executor.pendingCount());
    }

    @Test
    void duplicateCommitsAreIgnored()
    {
        final long dot = Dot.of(0, 1);
        executor.commit(dot, 1, keys(1));
        executor.commit(dot, 1, keys(1));
        executor.stable(1, 1);
        drain();
        executor.commit(dot, 1, keys(1));
        drain();
        assertEquals(List.of(dot), executed);
    }

    @Test
    void restoredExecutedSetIgnoresTheirCommitsAndReportsThem()
    {
        final long a = Dot.of(0, 1);
        final long b = Dot.of(0, 2);
        executor.commit(a, 1, keys(1));
        executor.stable(1, 1);
        drain();
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
        final int length = executor.snapshotExecuted(buffer, 0);

        final LongArrayList again = new LongArrayList();
        final TimestampExecutor fresh = new TimestampExecutor(3, 4, again::addLong);
        fresh.restoreExecuted(buffer, 0, length);
        fresh.commit(a, 1, keys(1));
        fresh.commit(b, 2, keys(1));
        fresh.stable(1, 2);
        while (fresh.execute(16) > 0)
        {
            // drain
        }
        assertEquals(List.of(b), again);
        final LongArrayList drained = new LongArrayList();
        assertEquals(1, fresh.drainDecidedButRestored(drained::addLong));
        assertEquals(List.of(a), drained);
    }

    /**
     * Random multi-key commands committed in random order with stability growing in random steps, on any key: every
     * command runs, each key's commands in (timestamp, dot) order, whatever the interleaving.
     */
    @Test
    void multiKeyCommandsNeverDeadlock()
    {
        for (int seed = 0; seed < 200; seed++)
        {
            final SplittableRandom random = new SplittableRandom(seed);
            final LongArrayList ran = new LongArrayList();
            final TimestampExecutor subject = new TimestampExecutor(3, 4, ran::addLong);
            final int keyCount = 1 + random.nextInt(6);
            final int commands = 1 + random.nextInt(60);
            final List<long[]> all = new ArrayList<>(); // dot, timestamp, keys...
            final long[] nextInstance = new long[3];
            for (int i = 0; i < commands; i++)
            {
                final int replica = random.nextInt(3);
                final long dot = Dot.of(replica, ++nextInstance[replica]);
                final int width = 1 + random.nextInt(Math.min(3, keyCount));
                final long[] command = new long[2 + width];
                command[0] = dot;
                command[1] = 1 + random.nextInt(20);
                for (int k = 0; k < width; k++)
                {
                    long key;
                    boolean duplicate;
                    do
                    {
                        key = random.nextInt(keyCount);
                        duplicate = false;
                        for (int j = 0; j < k; j++)
                        {
                            duplicate |= command[2 + j] == key;
                        }
                    }
                    while (duplicate);
                    command[2 + k] = key;
                }
                all.add(command);
            }
            Collections.shuffle(all, new java.util.Random(seed));
            int committed = 0;
            long[] stableUpTo = new long[keyCount];
            while (committed < all.size() || ran.size() < all.size())
            {
                if (committed < all.size() && random.nextBoolean())
                {
                    final long[] command = all.get(committed++);
                    final KeySet set = new KeySet();
                    for (int k = 2; k < command.length; k++)
                    {
                        set.add(command[k], true);
                    }
                    subject.commit(command[0], command[1], set);
                }
                else
                {
                    final int key = random.nextInt(keyCount);
                    // stability never passes a timestamp whose command is not committed yet
                    long limit = 21;
                    for (int i = committed; i < all.size(); i++)
                    {
                        for (int k = 2; k < all.get(i).length; k++)
                        {
                            if (all.get(i)[k] == key)
                            {
                                limit = Math.min(limit, all.get(i)[1] - 1);
                            }
                        }
                    }
                    stableUpTo[key] = Math.max(stableUpTo[key], Math.min(limit, stableUpTo[key] + random.nextInt(5)));
                    subject.stable(key, stableUpTo[key]);
                }
                while (subject.execute(1 + random.nextInt(8)) > 0)
                {
                    // drain
                }
                if (committed == all.size() && ran.size() < all.size())
                {
                    boolean allStable = true;
                    for (final long s : stableUpTo)
                    {
                        allStable &= s >= 20;
                    }
                    assertFalse(allStable && ran.size() < all.size(), "seed " + seed + ": deadlock with all stable");
                }
            }
            checkPerKeyOrder(seed, all, ran);
            assertEquals(0, subject.pendingCount());
        }
    }

    private static void checkPerKeyOrder(final int seed, final List<long[]> all, final LongArrayList ran)
    {
        final Map<Long, long[]> byDot = new HashMap<>();
        for (final long[] command : all)
        {
            byDot.put(command[0], command);
        }
        final Map<Long, long[]> lastOnKey = new HashMap<>();
        for (int i = 0; i < ran.size(); i++)
        {
            final long[] command = byDot.get(ran.getLong(i));
            for (int k = 2; k < command.length; k++)
            {
                final long[] previous = lastOnKey.put(command[k], command);
                if (previous != null)
                {
                    final boolean ordered = previous[1] < command[1] ||
                        (previous[1] == command[1] && before(previous[0], command[0]));
                    assertTrue(ordered, "seed " + seed + ": key " + command[k] + " ran " +
                        Dot.toString(previous[0]) + "@" + previous[1] + " before " + Dot.toString(command[0]) + "@" +
                        command[1]);
                }
            }
        }
    }

    private static boolean before(final long dot, final long other)
    {
        return Dot.replica(dot) < Dot.replica(other) ||
            (Dot.replica(dot) == Dot.replica(other) && Dot.instance(dot) < Dot.instance(other));
    }
}
