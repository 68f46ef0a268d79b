package io.roundtable.execution;

import org.agrona.collections.Hashing;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayQueue;

import java.util.Arrays;

/**
 * Nodes whose search was abandoned, filed under the dot they wait for, so that a commit re-tries exactly the nodes it
 * can unblock instead of the executor re-scanning every pending node (PROTOCOLS.md pitfall 4: never busy-wait). A
 * node waits either for a missing dot (woken when it commits) or for a committed but blocked node (woken when that
 * node executes), which keeps a long blocked chain from being re-walked on every commit.
 * <p>
 * Each list is a circular singly linked list over pooled entries and the map holds its tail, so appending and
 * waking in arrival order (older nodes first) are both O(1) per entry and allocation free once warm.
 */
final class WaitingRoom
{
    private static final int NIL = -1;
    private static final int MIN_CAPACITY = 16;

    private final Long2LongHashMap tailByDot;
    private long[] waiterDots;
    private int[] next;
    private int freeHead = NIL;
    private int highWater;
    private int waiterCount;

    WaitingRoom(final int initialCapacity)
    {
        final int capacity = Math.max(MIN_CAPACITY, initialCapacity);
        tailByDot = new Long2LongHashMap(capacity, Hashing.DEFAULT_LOAD_FACTOR, NIL);
        waiterDots = new long[capacity];
        next = new int[capacity];
    }

    int waiterCount()
    {
        return waiterCount;
    }

    void await(final long awaitedDot, final long waiterDot)
    {
        final int entry = allocate();
        waiterDots[entry] = waiterDot;
        final int tail = (int)tailByDot.get(awaitedDot);
        if (NIL == tail)
        {
            next[entry] = entry;
        }
        else
        {
            next[entry] = next[tail];
            next[tail] = entry;
        }
        tailByDot.put(awaitedDot, entry);
        waiterCount++;
    }

    /** Moves every node waiting for {@code dot} to the back of {@code roots}, oldest first; returns how many. */
    int wake(final long dot, final LongArrayQueue roots)
    {
        if (tailByDot.isEmpty())
        {
            return 0; // the common case in steady state: nothing waits, so skip the hash lookup
        }
        final int tail = (int)tailByDot.remove(dot);
        if (NIL == tail)
        {
            return 0;
        }

        int woken = 0;
        int entry = next[tail];
        while (true)
        {
            final int following = next[entry];
            roots.offerLong(waiterDots[entry]);
            release(entry);
            woken++;
            if (entry == tail)
            {
                break;
            }
            entry = following;
        }
        waiterCount -= woken;

        return woken;
    }

    private int allocate()
    {
        if (NIL != freeHead)
        {
            final int entry = freeHead;
            freeHead = next[entry];
            return entry;
        }
        if (highWater == waiterDots.length)
        {
            final int capacity = highWater << 1;
            waiterDots = Arrays.copyOf(waiterDots, capacity);
            next = Arrays.copyOf(next, capacity);
        }
        return highWater++;
    }

    private void release(final int entry)
    {
        next[entry] = freeHead;
        freeHead = entry;
    }
}
