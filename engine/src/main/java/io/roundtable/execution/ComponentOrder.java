package io.roundtable.execution;

/**
 * Sorts the slots of one strongly connected component into EPaxos execution order: by seq, then replica, then
 * instance (EPaxos §5.2). A dot packs the replica above the instance and is never negative, so comparing dots as
 * longs compares (replica, instance). Dots are unique, so the order is total and the sort need not be stable; heap
 * sort keeps it allocation and recursion free for components of any size.
 */
final class ComponentOrder
{
    private static final int INSERTION_SORT_THRESHOLD = 24;

    private ComponentOrder()
    {
    }

    static void sort(final int[] slots, final int length, final int[] seqs, final long[] dots)
    {
        if (length <= INSERTION_SORT_THRESHOLD)
        {
            insertionSort(slots, length, seqs, dots);
        }
        else
        {
            heapSort(slots, length, seqs, dots);
        }
    }

    static boolean before(final int a, final int b, final int[] seqs, final long[] dots)
    {
        final int seqA = seqs[a];
        final int seqB = seqs[b];
        return seqA != seqB ? seqA < seqB : dots[a] < dots[b];
    }

    private static void insertionSort(final int[] slots, final int length, final int[] seqs, final long[] dots)
    {
        for (int i = 1; i < length; i++)
        {
            final int slot = slots[i];
            int j = i - 1;
            while (j >= 0 && before(slot, slots[j], seqs, dots))
            {
                slots[j + 1] = slots[j];
                j--;
            }
            slots[j + 1] = slot;
        }
    }

    private static void heapSort(final int[] slots, final int length, final int[] seqs, final long[] dots)
    {
        for (int i = (length >>> 1) - 1; i >= 0; i--)
        {
            siftDown(slots, i, length, seqs, dots);
        }
        for (int end = length - 1; end > 0; end--)
        {
            final int max = slots[0];
            slots[0] = slots[end];
            slots[end] = max;
            siftDown(slots, 0, end, seqs, dots);
        }
    }

    private static void siftDown(
        final int[] slots, final int start, final int length, final int[] seqs, final long[] dots)
    {
        final int slot = slots[start];
        int parent = start;
        int child;
        while ((child = (parent << 1) + 1) < length)
        {
            if (child + 1 < length && before(slots[child], slots[child + 1], seqs, dots))
            {
                child++;
            }
            if (!before(slot, slots[child], seqs, dots))
            {
                break;
            }
            slots[parent] = slots[child];
            parent = child;
        }
        slots[parent] = slot;
    }
}
