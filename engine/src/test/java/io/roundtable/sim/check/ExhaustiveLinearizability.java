package io.roundtable.sim.check;

import java.util.ArrayList;
import java.util.List;

/**
 * The definition of linearizability, searched naively, as an oracle for small histories: some order of all completed
 * operations and any subset of pending ones, respecting real time, in which a register gives every completed
 * operation its recorded output. No memoization, no pruning, one key at a time.
 */
final class ExhaustiveLinearizability
{
    private ExhaustiveLinearizability()
    {
    }

    static boolean isLinearizable(final History history)
    {
        final List<Operation> all = history.operations();
        final List<Long> keys = all.stream().map(Operation::key).distinct().toList();
        for (final long key : keys)
        {
            final List<Operation> ops = new ArrayList<>();
            all.stream().filter(op -> op.key() == key).forEach(ops::add);
            if (!extend(ops, new boolean[ops.size()], History.ABSENT))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean extend(final List<Operation> ops, final boolean[] done, final long value)
    {
        boolean allCompletedDone = true;
        for (int i = 0; i < ops.size(); i++)
        {
            allCompletedDone &= done[i] || !ops.get(i).completed();
        }
        if (allCompletedDone)
        {
            return true;
        }

        for (int i = 0; i < ops.size(); i++)
        {
            if (done[i] || !mayGoNext(ops, done, i))
            {
                continue;
            }
            final Operation op = ops.get(i);
            final long after;
            switch (op.kind())
            {
                case PUT:
                    after = op.argument();
                    break;

                case GET:
                    if (op.completed() && op.output() != value)
                    {
                        continue;
                    }
                    after = value;
                    break;

                default:
                    final boolean swaps = op.expected() == value;
                    if (op.completed() && swaps != (op.output() == 1))
                    {
                        continue;
                    }
                    after = swaps ? op.argument() : value;
                    break;
            }
            done[i] = true;
            final boolean found = extend(ops, done, after);
            done[i] = false;
            if (found)
            {
                return true;
            }
        }
        return false;
    }

    private static boolean mayGoNext(final List<Operation> ops, final boolean[] done, final int candidate)
    {
        for (int i = 0; i < ops.size(); i++)
        {
            if (!done[i] && ops.get(i).precedes(ops.get(candidate)))
            {
                return false;
            }
        }
        return true;
    }
}
