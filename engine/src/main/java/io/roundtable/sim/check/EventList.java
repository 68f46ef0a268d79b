package io.roundtable.sim.check;

import java.util.Arrays;
import java.util.Comparator;

/**
 * One key's call and return events in time order, as a doubly linked list from which an operation's events are
 * lifted when it is linearized and relinked, in exactly the reverse order, when the search backtracks (dancing
 * links). Event {@code 2j} is operation j's call and {@code 2j + 1} its return; pending operations have no return.
 */
final class EventList
{
    static final int END = -1;

    private final KeyHistory history;
    private final int head;
    private final int[] next;
    private final int[] prev;

    EventList(final KeyHistory history)
    {
        this.history = history;
        final int n = history.size;
        head = 2 * n;
        next = new int[2 * n + 1];
        prev = new int[2 * n + 1];

        final Integer[] events = new Integer[2 * n];
        int count = 0;
        for (int j = 0; j < n; j++)
        {
            events[count++] = 2 * j;
            if (history.completed[j])
            {
                events[count++] = 2 * j + 1;
            }
        }

        // Calls sort before returns at the same instant: precedence is strict (A.complete < B.invoke), so an
        // operation returning exactly when another is invoked is concurrent with it.
        final Comparator<Integer> byTime = Comparator
            .comparingLong((Integer e) -> (e & 1) == 0 ? history.invokeTime[e >> 1] : history.completeTime[e >> 1])
            .thenComparingInt(e -> e & 1)
            .thenComparingInt(e -> e);
        Arrays.sort(events, 0, count, byTime);

        int last = head;
        prev[head] = END;
        for (int i = 0; i < count; i++)
        {
            final int e = events[i];
            next[last] = e;
            prev[e] = last;
            last = e;
        }
        next[last] = END;
    }

    static boolean isReturn(final int event)
    {
        return (event & 1) == 1;
    }

    static int operation(final int event)
    {
        return event >> 1;
    }

    int first()
    {
        return next[head];
    }

    int next(final int event)
    {
        return next[event];
    }

    void lift(final int j)
    {
        unlink(2 * j);
        if (history.completed[j])
        {
            unlink(2 * j + 1);
        }
    }

    void unlift(final int j)
    {
        if (history.completed[j])
        {
            relink(2 * j + 1);
        }
        relink(2 * j);
    }

    private void unlink(final int e)
    {
        next[prev[e]] = next[e];
        if (next[e] != END)
        {
            prev[next[e]] = prev[e];
        }
    }

    private void relink(final int e)
    {
        next[prev[e]] = e;
        if (next[e] != END)
        {
            prev[next[e]] = e;
        }
    }
}
