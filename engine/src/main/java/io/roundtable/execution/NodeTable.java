package io.roundtable.execution;

import io.roundtable.protocol.Dot;
import org.agrona.collections.Hashing;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongHashSet;

import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * What the executor knows about dots: committed instances held in slots of parallel primitive arrays (so the graph
 * is walked without touching objects), the dependencies named by them that have not committed here yet, and the
 * per-replica contiguous executed watermark. The watermark is what keeps memory flat: an instance at or below it
 * is executed whether or not it is still stored, so its slot can go back to the free list.
 * <p>
 * The Tarjan per-node fields ({@link #index}, {@link #lowlink}, {@link #onStack}) live here, not in the search, so
 * that they are indexed by slot and grow together with the slots.
 */
final class NodeTable
{
    static final int NO_SLOT = -1;
    static final long NOT_BLOCKED = Dot.NONE;

    private static final int MIN_CAPACITY = 16;
    private static final int MIN_DEPS_LENGTH = 4;
    private static final long[] NO_DEPS = new long[0];

    private final Long2LongHashMap slotByDot;
    private final LongHashSet missing;
    private final long[] executedUpTo;

    long[] dots;
    int[] seqs;
    long[][] deps;
    int[] depsCount;
    boolean[] executed;
    /**
     * A dot that was missing when this node was found to depend on it (maybe through others); see
     * {@link #blockerOf(int)}. {@link #NOT_BLOCKED} when not known to be blocked.
     */
    long[] blockedOn;
    int[] index;
    int[] lowlink;
    boolean[] onStack;

    private int[] freeSlots;
    private int freeCount;
    private int highWater;
    private int storedCount;
    private int pendingCount;

    NodeTable(final int replicaCount, final int initialCapacity)
    {
        if (replicaCount <= 0 || replicaCount > Dot.MAX_REPLICAS)
        {
            throw new IllegalArgumentException(
                "replicaCount must be in [1, " + Dot.MAX_REPLICAS + "]: " + replicaCount);
        }
        final int capacity = Math.max(MIN_CAPACITY, initialCapacity);
        executedUpTo = new long[replicaCount];
        slotByDot = new Long2LongHashMap(capacity * 2, Hashing.DEFAULT_LOAD_FACTOR, NO_SLOT);
        missing = new LongHashSet(MIN_CAPACITY);
        dots = new long[capacity];
        seqs = new int[capacity];
        deps = new long[capacity][];
        Arrays.fill(deps, NO_DEPS);
        depsCount = new int[capacity];
        executed = new boolean[capacity];
        blockedOn = new long[capacity];
        index = new int[capacity];
        lowlink = new int[capacity];
        onStack = new boolean[capacity];
        freeSlots = new int[capacity];
    }

    int replicaCount()
    {
        return executedUpTo.length;
    }

    int capacity()
    {
        return dots.length;
    }

    int storedCount()
    {
        return storedCount;
    }

    int pendingCount()
    {
        return pendingCount;
    }

    /** Each dot named as a dependency by a stored node but not committed here: what recovery must chase. */
    int forEachMissing(final LongConsumer consumer)
    {
        missing.forEachLong(consumer);
        return missing.size();
    }

    void checkReplica(final long dot)
    {
        if (Dot.replica(dot) >= executedUpTo.length)
        {
            throw new IllegalArgumentException(
                "dot " + Dot.toString(dot) + " names a replica outside [0, " + executedUpTo.length + ")");
        }
    }

    int slotOf(final long dot)
    {
        return (int)slotByDot.get(dot);
    }

    long executedUpTo(final int replica)
    {
        return executedUpTo[replica];
    }

    boolean isBelowWatermark(final long dot)
    {
        return Dot.instance(dot) <= executedUpTo[Dot.replica(dot)];
    }

    boolean isExecuted(final long dot)
    {
        if (isBelowWatermark(dot))
        {
            return true;
        }
        final int slot = slotOf(dot);
        return NO_SLOT != slot && executed[slot];
    }

    /** Committed here (stored, executed or not) or executed and already forgotten. */
    boolean isKnown(final long dot)
    {
        return isBelowWatermark(dot) || NO_SLOT != slotOf(dot);
    }

    /** Stores a newly committed instance; the caller has checked it is not known yet. */
    int add(final long dot, final int seq, final long[] newDeps, final int newDepsCount)
    {
        final int slot = freeCount > 0 ? freeSlots[--freeCount] : freshSlot();
        dots[slot] = dot;
        seqs[slot] = seq;
        long[] slotDeps = deps[slot];
        if (slotDeps.length < newDepsCount)
        {
            slotDeps = new long[Math.max(MIN_DEPS_LENGTH, Math.max(newDepsCount, slotDeps.length << 1))];
            deps[slot] = slotDeps;
        }
        System.arraycopy(newDeps, 0, slotDeps, 0, newDepsCount);
        depsCount[slot] = newDepsCount;
        executed[slot] = false;
        blockedOn[slot] = NOT_BLOCKED;
        index[slot] = 0;
        onStack[slot] = false;
        slotByDot.put(dot, slot);
        storedCount++;
        pendingCount++;

        // A stored node can only be executed once all it names have committed, so "missing" never has to forget a
        // dot because its dependents executed: it loses a dot exactly when that dot commits.
        if (!missing.isEmpty())
        {
            missing.remove(dot);
        }
        for (int i = 0; i < newDepsCount; i++)
        {
            final long dep = newDeps[i];
            if (dep != dot && !isKnown(dep))
            {
                missing.add(dep);
            }
        }

        return slot;
    }

    /**
     * Marks a slot executed and advances its replica's watermark over every contiguous executed instance, freeing
     * them. The slot itself may be freed: read its dot before calling.
     */
    void markExecuted(final int slot)
    {
        executed[slot] = true;
        pendingCount--;

        final long dot = dots[slot];
        final int replica = Dot.replica(dot);
        long instance = Dot.instance(dot);
        if (instance != executedUpTo[replica] + 1)
        {
            return; // a gap below: it stays stored (and counts as executed) until the gap fills
        }

        int next = slot;
        do
        {
            executedUpTo[replica] = instance;
            free(next);
            instance++;
            next = instance > Dot.MAX_INSTANCE ? NO_SLOT : slotOf(Dot.of(replica, instance));
        }
        while (NO_SLOT != next && executed[next]);
    }

    /**
     * The missing dot that keeps this node from executing, if its mark still proves one, else {@link #NOT_BLOCKED}
     * (and the stale mark is cleared). A mark names a dot that was missing when it was set; if that dot has since
     * committed but is itself blocked, the node is still blocked, so the marks are followed. Every mark is set while
     * its target is uncommitted, so each hop leads to a dot committed strictly later than the previous one and the
     * walk cannot cycle.
     */
    long blockerOf(final int slot)
    {
        long dot = blockedOn[slot];
        while (NOT_BLOCKED != dot)
        {
            if (missing.contains(dot))
            {
                return dot;
            }
            final int hop = slotOf(dot);
            if (NO_SLOT == hop || executed[hop])
            {
                break;
            }
            dot = blockedOn[hop];
        }
        blockedOn[slot] = NOT_BLOCKED;

        return NOT_BLOCKED;
    }

    /** Calls {@code consumer} with each stored dot that is executed (they sit above a gap in their watermark). */
    void forEachExecutedAboveWatermark(final LongConsumer consumer)
    {
        for (int slot = 0; slot < highWater; slot++)
        {
            if (executed[slot] && Dot.NONE != dots[slot])
            {
                consumer.accept(dots[slot]);
            }
        }
    }

    /** On an empty table: every instance up to {@code upTo} of {@code replica} is executed. */
    void restoreWatermark(final int replica, final long upTo)
    {
        executedUpTo[replica] = upTo;
    }

    /** On a table holding only restored state: {@code dot}, above its watermark, is executed. */
    void restoreExecuted(final long dot)
    {
        if (isKnown(dot))
        {
            return;
        }
        markExecuted(add(dot, 0, NO_DEPS, 0));
    }

    private void free(final int slot)
    {
        slotByDot.remove(dots[slot]);
        dots[slot] = Dot.NONE;
        depsCount[slot] = 0;
        freeSlots[freeCount++] = slot;
        storedCount--;
    }

    private int freshSlot()
    {
        if (highWater == dots.length)
        {
            grow();
        }
        return highWater++;
    }

    private void grow()
    {
        final int oldCapacity = dots.length;
        final int capacity = oldCapacity << 1;
        dots = Arrays.copyOf(dots, capacity);
        seqs = Arrays.copyOf(seqs, capacity);
        deps = Arrays.copyOf(deps, capacity);
        Arrays.fill(deps, oldCapacity, capacity, NO_DEPS);
        depsCount = Arrays.copyOf(depsCount, capacity);
        executed = Arrays.copyOf(executed, capacity);
        blockedOn = Arrays.copyOf(blockedOn, capacity);
        index = Arrays.copyOf(index, capacity);
        lowlink = Arrays.copyOf(lowlink, capacity);
        onStack = Arrays.copyOf(onStack, capacity);
        freeSlots = Arrays.copyOf(freeSlots, capacity);
    }
}
