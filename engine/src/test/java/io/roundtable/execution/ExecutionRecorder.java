package io.roundtable.execution;

import io.roundtable.protocol.Dot;

import java.util.Arrays;
import java.util.StringJoiner;

/** Records the execution order; test-only, so it may allocate. */
final class ExecutionRecorder implements ExecutionListener
{
    private long[] dots = new long[64];
    private int size;

    public void onExecute(final long dot)
    {
        if (size == dots.length)
        {
            dots = Arrays.copyOf(dots, size << 1);
        }
        dots[size++] = dot;
    }

    int size()
    {
        return size;
    }

    long get(final int i)
    {
        return dots[i];
    }

    long[] order()
    {
        return Arrays.copyOf(dots, size);
    }

    void clear()
    {
        size = 0;
    }

    String describe()
    {
        return describe(order());
    }

    static String describe(final long... order)
    {
        final StringJoiner joiner = new StringJoiner(", ", "[", "]");
        for (final long dot : order)
        {
            joiner.add(Dot.toString(dot));
        }
        return joiner.toString();
    }
}
