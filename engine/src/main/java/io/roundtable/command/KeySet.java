package io.roundtable.command;

import java.util.Arrays;

/**
 * The keys an instance touches and, per key, whether any of its commands writes it. Reused: {@link #clear()} and
 * refill; grows by doubling, so it stops allocating once warm.
 */
public final class KeySet
{
    private long[] keys;
    private boolean[] writes;
    private int count;

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
        count = 0;
    }

    /** Adds a key; a key added twice is a write if either add was. */
    public void add(final long key, final boolean write)
    {
        for (int i = 0; i < count; i++)
        {
            if (keys[i] == key)
            {
                writes[i] |= write;
                return;
            }
        }
        if (count == keys.length)
        {
            keys = Arrays.copyOf(keys, count * 2);
            writes = Arrays.copyOf(writes, count * 2);
        }
        keys[count] = key;
        writes[count] = write;
        count++;
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
