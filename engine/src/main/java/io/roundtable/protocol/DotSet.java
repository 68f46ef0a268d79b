package io.roundtable.protocol;

import java.util.Arrays;

/**
 * A small set of dots kept sorted and unique in a reusable array: dependency lists are short (a few heads per key),
 * so sorted insertion beats hashing, and sorted order makes equality of two replies a plain array comparison.
 */
public final class DotSet
{
    private long[] dots;
    private int size;

    public DotSet()
    {
        this(8);
    }

    public DotSet(final int initialCapacity)
    {
        dots = new long[Math.max(1, initialCapacity)];
    }

    public void clear()
    {
        size = 0;
    }

    public int size()
    {
        return size;
    }

    public long get(final int index)
    {
        return dots[index];
    }

    /** The backing array: the first {@link #size()} entries, ascending. */
    public long[] array()
    {
        return dots;
    }

    public boolean add(final long dot)
    {
        int index = Arrays.binarySearch(dots, 0, size, dot);
        if (index >= 0)
        {
            return false;
        }
        index = -index - 1;
        if (size == dots.length)
        {
            dots = Arrays.copyOf(dots, size * 2);
        }
        System.arraycopy(dots, index, dots, index + 1, size - index);
        dots[index] = dot;
        size++;
        return true;
    }

    public void addAll(final long[] source, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            add(source[i]);
        }
    }

    public void addAll(final DotSet other)
    {
        addAll(other.dots, other.size);
    }

    public boolean contains(final long dot)
    {
        return Arrays.binarySearch(dots, 0, size, dot) >= 0;
    }

    public boolean remove(final long dot)
    {
        final int index = Arrays.binarySearch(dots, 0, size, dot);
        if (index < 0)
        {
            return false;
        }
        System.arraycopy(dots, index + 1, dots, index, size - index - 1);
        size--;
        return true;
    }

    public void copyFrom(final DotSet other)
    {
        if (dots.length < other.size)
        {
            dots = Arrays.copyOf(other.dots, other.dots.length);
        }
        else
        {
            System.arraycopy(other.dots, 0, dots, 0, other.size);
        }
        size = other.size;
    }

    public void copyFrom(final long[] source, final int count)
    {
        clear();
        addAll(source, count);
    }

    public boolean sameAs(final DotSet other)
    {
        return Arrays.equals(dots, 0, size, other.dots, 0, other.size);
    }

    public boolean sameAs(final long[] sortedUnique, final int count)
    {
        return Arrays.equals(dots, 0, size, sortedUnique, 0, count);
    }

    public String toString()
    {
        final StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < size; i++)
        {
            sb.append(i == 0 ? "" : ", ").append(Dot.toString(dots[i]));
        }
        return sb.append(']').toString();
    }
}
