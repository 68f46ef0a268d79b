package io.roundtable.protocol;

import org.agrona.collections.IntArrayList;
import org.agrona.collections.Long2LongHashMap;

/**
 * Maps dots to slots of a protocol's preallocated per-instance arrays and recycles freed slots, so instance state
 * lives in primitive arrays indexed by slot rather than in one object per instance. When every slot is taken the
 * capacity doubles and the owner is told to grow its arrays (allocation while warming up only).
 */
public final class InstanceSlots
{
    /** Told when the capacity grows so parallel arrays can be resized. */
    public interface GrowthListener
    {
        void onGrow(int newCapacity);
    }

    public static final int NO_SLOT = -1;

    private final Long2LongHashMap slotByDot = new Long2LongHashMap(NO_SLOT);
    private final IntArrayList freeSlots = new IntArrayList();
    private final GrowthListener growthListener;
    private long[] dotBySlot;
    private int nextUnused;

    public InstanceSlots(final int initialCapacity, final GrowthListener growthListener)
    {
        this.growthListener = growthListener;
        this.dotBySlot = new long[Math.max(16, initialCapacity)];
    }

    public int capacity()
    {
        return dotBySlot.length;
    }

    public int size()
    {
        return slotByDot.size();
    }

    /** @return the slot of {@code dot} or {@link #NO_SLOT}. */
    public int slotOf(final long dot)
    {
        return (int)slotByDot.get(dot);
    }

    /** Every slot ever handed out is below this; a free one holds {@link Dot#NONE}. For walks over all instances. */
    public int slotLimit()
    {
        return nextUnused;
    }

    public long dotAt(final int slot)
    {
        return dotBySlot[slot];
    }

    /** @return the slot of {@code dot}, allocating one if it has none (callers then initialise the slot). */
    public int allocate(final long dot)
    {
        final int existing = (int)slotByDot.get(dot);
        if (existing != NO_SLOT)
        {
            return existing;
        }
        final int slot;
        if (!freeSlots.isEmpty())
        {
            slot = freeSlots.popInt();
        }
        else
        {
            if (nextUnused == dotBySlot.length)
            {
                final int newCapacity = dotBySlot.length * 2;
                dotBySlot = java.util.Arrays.copyOf(dotBySlot, newCapacity);
                growthListener.onGrow(newCapacity);
            }
            slot = nextUnused++;
        }
        dotBySlot[slot] = dot;
        slotByDot.put(dot, slot);
        return slot;
    }

    public void free(final long dot)
    {
        final int slot = (int)slotByDot.remove(dot);
        if (slot != NO_SLOT)
        {
            dotBySlot[slot] = Dot.NONE;
            freeSlots.addInt(slot);
        }
    }
}
