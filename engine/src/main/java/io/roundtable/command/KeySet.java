package io.roundtable.command;

import java.util.Arrays;

/**
 * The keys an instance touches and, per key, whether any of its commands writes it. Reused: {@link #clear()} and
 * refill; grows by doubling, so it stops allocating once warm.
 */
public final class KeySet
{
    /** Up to this many keys a linear scan finds duplicates faster than hashing. */
    private static final int LINEAR_SCAN_LIMIT = 8;

    private long[] keys;
    private boolean[] writes;
    private int count;
    /**
     * Open-addressing index of the keys (slot holds index + 1; 0 is empty), used once a batch has more keys than
     * {@link #LINEAR_SCAN_LIMIT}, so that a batch of n keys costs O(n) rather than O(n^2). Built lazily, cleared
     * only over the slots it used.
     */
    private int[] index = new int[0];
    private boolean indexed;

    public KeySet()
    {
        this(8);
    }

    public KeySet(final int initialCapacity)
    {
        keys = new long[Math.max(1, initialCapacity)];
        writes = new boolean[keys.length];
    }

    public void clear()
    {
        if (indexed)
        {
            Arrays.fill(index, 0);
            indexed = false;
        }
        count = 0;
    }

    /** Adds a key; a key added twice is a write if either add was. */
    public void add(final long key, final boolean write)
    {
        if (count < LINEAR_SCAN_LIMIT)
        {
            for (int i = 0; i < count; i++)
            {
                if (keys[i] == key)
                {
                    writes[i] |= write;
                    return;
                }
            }
            append(key, write);
            return;
        }
        if (!indexed || count * 2 >= index.length)
        {
            rebuildIndex(Math.max(64, Integer.highestOneBit(count) * 4));
        }
        final int mask = index.length - 1;
        int slot = slotOf(key, mask);
        while (index[slot] != 0)
        {
            final int i = index[slot] - 1;
            if (keys[i] == key)
            {
                writes[i] |= write;
                return;
            }
            slot = (slot + 1) & mask;
        }
        index[slot] = count + 1;
        append(key, write);
    }

    private void append(final long key, final boolean write)
    {
        if (count == keys.length)
        {
            keys = Arrays.copyOf(keys, count * 2);
            writes = Arrays.copyOf(writes, count * 2);
        }
        keys[count] = key;
        writes[count] = write;
        count++;
    }

    private void rebuildIndex(final int capacity)
    {
        if (index.length < capacity)
        {
            index = new int[capacity];
        }
        else
        {
            Arrays.fill(index, 0);
        }
        final int mask = index.length - 1;
        for (int i = 0; i < count; i++)
        {
            int slot = slotOf(keys[i], mask);
            while (index[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }
            index[slot] = i + 1;
        }
        indexed = true;
    }

    private static int slotOf(final long key, final int mask)
    {
        final long mixed = key * 0x9E37_79B9_7F4A_7C15L;
        return (int)(mixed ^ (mixed >>> 32)) & mask;
    }

    public void copyFrom(final KeySet other)
    {
        clear();
        for (int i = 0; i < other.count; i++)
        {
            add(other.keys[i], other.writes[i]);
        }
    }

    public int count()
    {
        return count;
    }

    public long key(final int index)
    {
        return keys[index];
    }

    public boolean isWrite(final int index)
    {
        return writes[index];
    }

    public boolean isEmpty()
    {
        return count == 0;
    }

    public String toString()
    {
        final StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < count; i++)
        {
            sb.append(i == 0 ? "" : ", ").append(keys[i]).append(writes[i] ? ":w" : ":r");
        }
        return sb.append('}').toString();
    }
}
