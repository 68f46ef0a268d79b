package io.roundtable.sim.check;

import java.util.Arrays;
import java.util.HashMap;

/**
 * One key's operations compiled for the search: values interned to small ids (so the search can count, per value,
 * who still needs it and who can still write it) and each operation's register semantics reduced to four ids.
 * <ul>
 *     <li>{@code needs}: the register must hold this value when the operation takes effect (a GET's output, the
 *     expected value of a CAS that swapped).</li>
 *     <li>{@code forbids}: the register must not hold this value (the expected value of a CAS that did not swap).</li>
 *     <li>{@code writes}: the value it leaves behind (a PUT's or a swapping CAS's argument) ...</li>
 *     <li>{@code writeIf}: ... but only if the register held this value first (a pending CAS, whose outcome is
 *     unknown, swaps exactly when its expected value is there).</li>
 * </ul>
 */
final class KeyHistory
{
    static final int NONE = -1;
    static final int ABSENT_ID = 0;

    final Operation[] ops;
    final int size;
    final int completedCount;
    final int valueCount;

    final boolean[] completed;
    final int[] needs;
    final int[] forbids;
    final int[] writes;
    final int[] writeIf;
    final long[] invokeTime;
    final long[] completeTime;

    /** Per value id: the operations that need it, by completion time, and those that may write it, by invocation. */
    final int[][] needersOf;
    final int[][] writersOf;
    /** Per value id: the pending CASes that swap from it, the only way some values can ever be written. */
    final int[][] pendingSwapsFrom;
    /** Per operation: its position in {@code needersOf[needs[j]]} and {@code writersOf[writes[j]]}. */
    final int[] neederPosition;
    final int[] writerPosition;

    private long[] values = new long[16];

    /** @param ops one key's operations; pending GETs must already be dropped (they constrain nothing). */
    KeyHistory(final Operation[] ops)
    {
        this.ops = ops;
        size = ops.length;
        completed = new boolean[size];
        needs = new int[size];
        forbids = new int[size];
        writes = new int[size];
        writeIf = new int[size];
        invokeTime = new long[size];
        completeTime = new long[size];
        Arrays.fill(needs, NONE);
        Arrays.fill(forbids, NONE);
        Arrays.fill(writes, NONE);
        Arrays.fill(writeIf, NONE);

        final HashMap<Long, Integer> ids = new HashMap<>();
        ids.put(History.ABSENT, ABSENT_ID);
        values[ABSENT_ID] = History.ABSENT;

        int completedOps = 0;
        for (int j = 0; j < size; j++)
        {
            final Operation op = ops[j];
            completed[j] = op.completed();
            invokeTime[j] = op.invokeTimeNs();
            completeTime[j] = op.completeTimeNs();
            completedOps += op.completed() ? 1 : 0;

            switch (op.kind())
            {
                case PUT:
                    writes[j] = intern(ids, op.argument());
                    break;

                case GET:
                    if (!op.completed())
                    {
                        throw new IllegalArgumentException("pending GETs constrain nothing and must be dropped: " + op);
                    }
                    needs[j] = intern(ids, op.output());
                    break;

                case CAS:
                    if (!op.completed())
                    {
                        writes[j] = intern(ids, op.argument());
                        writeIf[j] = intern(ids, op.expected());
                    }
                    else if (op.output() == 1)
                    {
                        needs[j] = intern(ids, op.expected());
                        writes[j] = intern(ids, op.argument());
                    }
                    else
                    {
                        forbids[j] = intern(ids, op.expected());
                    }
                    break;
            }
        }
        completedCount = completedOps;
        valueCount = ids.size();

        neederPosition = new int[size];
        writerPosition = new int[size];
        needersOf = groupBy(needs, completeTime, neederPosition);
        writersOf = groupBy(writes, invokeTime, writerPosition);
        pendingSwapsFrom = groupBy(writeIf, invokeTime, new int[size]);
    }

    boolean isValid(final int j, final int state)
    {
        return (needs[j] == NONE || needs[j] == state) && forbids[j] != state;
    }

    int apply(final int j, final int state)
    {
        return writes[j] == NONE || (writeIf[j] != NONE && writeIf[j] != state) ? state : writes[j];
    }

    /** Completed and never changes the register: a GET, or a CAS that did not swap. */
    boolean isReadOnly(final int j)
    {
        return completed[j] && writes[j] == NONE;
    }

    long value(final int id)
    {
        return values[id];
    }

    private int[][] groupBy(final int[] valueOfOp, final long[] time, final int[] position)
    {
        final int[] counts = new int[valueCount];
        for (int j = 0; j < size; j++)
        {
            if (valueOfOp[j] != NONE)
            {
                counts[valueOfOp[j]]++;
            }
        }
        final Integer[][] groups = new Integer[valueCount][];
        for (int v = 0; v < valueCount; v++)
        {
            groups[v] = new Integer[counts[v]];
            counts[v] = 0;
        }
        for (int j = 0; j < size; j++)
        {
            if (valueOfOp[j] != NONE)
            {
                groups[valueOfOp[j]][counts[valueOfOp[j]]++] = j;
            }
        }

        final int[][] sorted = new int[valueCount][];
        for (int v = 0; v < valueCount; v++)
        {
            Arrays.sort(groups[v], (a, b) -> Long.compare(time[a], time[b]));
            sorted[v] = new int[groups[v].length];
            for (int i = 0; i < sorted[v].length; i++)
            {
                sorted[v][i] = groups[v][i];
                position[groups[v][i]] = i;
            }
        }
        return sorted;
    }

    private int intern(final HashMap<Long, Integer> ids, final long value)
    {
        final Integer existing = ids.get(value);
        if (existing != null)
        {
            return existing;
        }
        final int id = ids.size();
        ids.put(value, id);
        if (id == values.length)
        {
            values = Arrays.copyOf(values, id * 2);
        }
        values[id] = value;
        return id;
    }
}
