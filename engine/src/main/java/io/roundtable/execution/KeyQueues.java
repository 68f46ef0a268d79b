package io.roundtable.execution;

import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Per key, the committed and unexecuted commands that touch it, as a binary min-heap of node ids ordered by
 * (timestamp, dot), plus how far the key is stable. Heaps of keys that empty go back to a pool, so a run over many
 * distinct keys stops allocating once warm; the stable frontier of a key is kept separately, as a primitive map.
 */
final class KeyQueues
{
    static final int EMPTY = -1;

    /** The total order of nodes: (timestamp, dot). */
    interface NodeOrder
    {
        boolean before(int node, int other);
    }

    private final NodeOrder order;
    private final Long2ObjectHashMap<Heap> heaps = new Long2ObjectHashMap<>();
    private final ArrayDeque<Heap> pool = new ArrayDeque<>();
    private final Long2LongHashMap stableUpTo = new Long2LongHashMap(0L);

    KeyQueues(final NodeOrder order)
    {
        this.order = order;
    }

    void push(final long key, final int node)
    {
        Heap heap = heaps.get(key);
        if (heap == null)
        {
            heap = pool.isEmpty() ? new Heap() : pool.pop();
            heaps.put(key, heap);
        }
        heap.push(node, order);
    }

    /** The first node in (timestamp, dot) order waiting on {@code key}, or {@link #EMPTY}. */
    int head(final long key)
    {
        final Heap heap = heaps.get(key);
        return heap == null ? EMPTY : heap.nodes[0];
    }

    /** Removes the head of {@code key}'s queue. */
    void pop(final long key)
    {
        final Heap heap = heaps.get(key);
        if (heap == null)
        {
            return;
        }
        heap.pop(order);
        if (heap.size == 0)
        {
            heaps.remove(key);
            pool.push(heap);
        }
    }

    /** @return true if the key's stable frontier grew. */
    boolean stable(final long key, final long upTo)
    {
        if (upTo > stableUpTo.get(key))
        {
            stableUpTo.put(key, upTo);
            return true;
        }
        return false;
    }

    long stableUpTo(final long key)
    {
        return stableUpTo.get(key);
    }

    int keyCount()
    {
        return heaps.size();
    }

    /** Drops {@code key}'s stable frontier unless commands still wait on it. */
    void forgetStable(final long key)
    {
        if (!heaps.containsKey(key))
        {
            stableUpTo.remove(key);
        }
    }

    int stableKeyCount()
    {
        return stableUpTo.size();
    }

    private static final class Heap
    {
        int[] nodes = new int[8];
        int size;

        Heap()
        {
            Arrays.fill(nodes, EMPTY);
        }

        void push(final int node, final NodeOrder order)
        {
            if (size == nodes.length)
            {
                nodes = Arrays.copyOf(nodes, size * 2);
            }
            int i = size++;
            while (i > 0)
            {
                final int parent = (i - 1) >>> 1;
                if (!order.before(node, nodes[parent]))
                {
                    break;
                }
                nodes[i] = nodes[parent];
                i = parent;
            }
            nodes[i] = node;
        }

        void pop(final NodeOrder order)
        {
            final int last = nodes[--size];
            nodes[size] = EMPTY;
            if (size == 0)
            {
                nodes[0] = EMPTY;
                return;
            }
            int i = 0;
            while (true)
            {
                final int left = 2 * i + 1;
                if (left >= size)
                {
                    break;
                }
                final int right = left + 1;
                final int child = right < size && order.before(nodes[right], nodes[left]) ? right : left;
                if (!order.before(nodes[child], last))
                {
                    break;
                }
                nodes[i] = nodes[child];
                i = child;
            }
            nodes[i] = last;
        }
    }
}
