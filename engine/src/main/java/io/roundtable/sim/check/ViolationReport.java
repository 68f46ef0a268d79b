package io.roundtable.sim.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Words for a failed check. A failing simulator seed is debugged from this text, so it names the operation that
 * cannot take effect, the register value the longest consistent prefix left, and a small window of operations: the
 * end of that prefix, the last few that finished before the stuck one began, and those concurrent with it.
 */
final class ViolationReport
{
    private static final int PREDECESSORS_SHOWN = 3;
    private static final int CONCURRENT_SHOWN = 16;

    private ViolationReport()
    {
    }

    static String unwrittenValue(final long key, final Operation op, final long value)
    {
        return "key " + key + " is not linearizable: " + op + " observed " + Operation.value(value) +
            ", which no operation on the key wrote";
    }

    static String violation(final long key, final Operation[] ops, final KeySearch search)
    {
        final Operation stuck = ops[search.stuckOp()];
        final StringBuilder sb = new StringBuilder(1024);
        sb.append("key ").append(key).append(" is not linearizable: ").append(stuck)
            .append(" cannot take effect.\n");
        appendPrefix(sb, ops, search);
        final Operation stranded = search.strandedOp() >= 0 ? ops[search.strandedOp()] : null;
        if (stranded != null)
        {
            sb.append("  no write can go next: overwriting ").append(Operation.value(search.stuckValue()))
                .append(" would strand ").append(stranded)
                .append(", as nothing left could write the value it needs before it returns\n");
        }

        final List<Operation> window = window(ops, search, stuck, stranded);
        sb.append("  operations around it, by invocation ('<' finished before it began, '=' concurrent, '>' it, ")
            .append("'!' stranded):\n");
        for (final Operation op : window)
        {
            final char mark = op == stuck ? '>' : op == stranded ? '!' : op.precedes(stuck) ? '<' : '=';
            sb.append("    ").append(mark).append(' ').append(op).append('\n');
        }
        return sb.toString();
    }

    static String budgetExceeded(final long key, final Operation[] ops, final KeySearch search, final long maxStates)
    {
        final StringBuilder sb = new StringBuilder(256);
        sb.append("key ").append(key).append(": undecided after exploring ").append(maxStates)
            .append(" configurations (the per-key budget) for ").append(ops.length).append(" operations.\n");
        appendPrefix(sb, ops, search);
        return sb.toString();
    }

    private static void appendPrefix(final StringBuilder sb, final Operation[] ops, final KeySearch search)
    {
        sb.append("  the longest linearizable prefix found covers ").append(search.longestPrefix()).append(" of ")
            .append(ops.length).append(" operations and leaves the register at ")
            .append(Operation.value(search.stuckValue())).append('\n');
        final int[] tail = search.longestPrefixTail();
        if (tail.length > 0)
        {
            sb.append("  it ends with:\n");
            for (final int j : tail)
            {
                sb.append("    ").append(ops[j]).append('\n');
            }
        }
    }

    private static List<Operation> window(
        final Operation[] ops, final KeySearch search, final Operation stuck, final Operation stranded)
    {
        final ArrayList<Operation> predecessors = new ArrayList<>();
        final ArrayList<Operation> concurrent = new ArrayList<>();
        for (final Operation op : ops)
        {
            if (op == stuck)
            {
                continue;
            }
            if (op.precedes(stuck))
            {
                predecessors.add(op);
            }
            else if (!stuck.precedes(op))
            {
                concurrent.add(op);
            }
        }

        // The predecessors that matter are the latest to finish; the concurrent ones, those invoked nearest to it.
        predecessors.sort(Comparator.comparingLong(Operation::completeTimeNs).reversed());
        concurrent.sort(Comparator.comparingLong(op -> Math.abs(op.invokeTimeNs() - stuck.invokeTimeNs())));

        final LinkedHashSet<Operation> chosen = new LinkedHashSet<>();
        chosen.add(stuck);
        if (stranded != null)
        {
            chosen.add(stranded);
        }
        for (final int j : search.longestPrefixTail())
        {
            chosen.add(ops[j]);
        }
        chosen.addAll(predecessors.subList(0, Math.min(PREDECESSORS_SHOWN, predecessors.size())));
        chosen.addAll(concurrent.subList(0, Math.min(CONCURRENT_SHOWN, concurrent.size())));

        final ArrayList<Operation> window = new ArrayList<>(chosen);
        window.sort(Comparator.comparingLong(Operation::invokeTimeNs).thenComparingInt(Operation::index));
        return window;
    }
}
