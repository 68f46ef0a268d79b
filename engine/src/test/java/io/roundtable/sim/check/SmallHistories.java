package io.roundtable.sim.check;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.roundtable.sim.check.AtomicRegisterSimulation.Step;

/** Small random histories for comparing the checker with {@link ExhaustiveLinearizability}. */
final class SmallHistories
{
    private static final int MAX_OPERATIONS = 7;

    private SmallHistories()
    {
    }

    /**
     * Anything goes: random kinds, overlaps and outputs over a value domain of one to three values, so coincidences
     * (the same value written twice, reads that happen to match) are common, as are pending operations.
     */
    static History arbitrary(final SplittableRandom random)
    {
        final History history = new History();
        final int operations = 1 + random.nextInt(MAX_OPERATIONS);
        final int domain = 1 + random.nextInt(3);
        final int pendingOneIn = 2 + random.nextInt(5);
        final int span = 5 + random.nextInt(20);
        for (int i = 0; i < operations; i++)
        {
            final OperationKind kind = OperationKind.values()[random.nextInt(3)];
            final long invoke = random.nextLong(span);
            final int op = history.invoke(
                random.nextInt(4), kind, 0, value(random, domain), 1 + random.nextInt(domain), invoke);
            if (random.nextInt(pendingOneIn) > 0)
            {
                final long output = kind == OperationKind.GET ? value(random, domain) : random.nextInt(2);
                history.complete(op, output, invoke + random.nextLong(12));
            }
        }
        return history;
    }

    /** A linearizable history from closed-loop clients, sometimes with one output corrupted. */
    static History simulated(final SplittableRandom random)
    {
        final List<Step> steps = new ArrayList<>(AtomicRegisterSimulation.generate(
            random.nextLong(),
            1 + random.nextInt(MAX_OPERATIONS),
            1 + random.nextInt(4),
            1,
            random.nextDouble() * 0.5,
            random.nextDouble() * 0.6,
            random.nextInt(4)));
        final int victim = random.nextInt(steps.size());
        final Step step = steps.get(victim);
        if (random.nextBoolean() && step.completed())
        {
            steps.set(victim, step.withOutput(step.kind() == OperationKind.GET ? value(random, 3) : 1 - step.output()));
        }
        return AtomicRegisterSimulation.toHistory(steps);
    }

    private static long value(final SplittableRandom random, final int domain)
    {
        final int v = random.nextInt(domain + 1);
        return v == 0 ? History.ABSENT : v;
    }
}
