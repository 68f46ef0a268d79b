package io.roundtable.sim.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates histories that are linearizable by construction: closed-loop clients issue operations with random
 * intervals, each operation takes effect atomically at a random instant inside its interval, and outputs are what a
 * real register returns when operations are applied in the order of those instants. Every written value is unique,
 * which is what lets tests corrupt a history into one that is certainly not linearizable.
 */
final class AtomicRegisterSimulation
{
    /** One generated operation; {@code effectNs} is when it took effect, if it did. */
    record Step(
        int client,
        OperationKind kind,
        long key,
        long expected,
        long argument,
        long output,
        long invokeNs,
        long effectNs,
        long completeNs,
        boolean completed)
    {
        boolean isCompletedWrite()
        {
            return completed && (kind == OperationKind.PUT || (kind == OperationKind.CAS && output == 1));
        }

        Step withOutput(final long newOutput)
        {
            return new Step(
                client, kind, key, expected, argument, newOutput, invokeNs, effectNs, completeNs, completed);
        }
    }

    private AtomicRegisterSimulation()
    {
    }

    static List<Step> generate(
        final long seed, final int operations, final int clients, final int keys, final double pendingProbability)
    {
        return generate(seed, operations, clients, keys, pendingProbability, 0.2, 0);
    }

    /**
     * Of the operations that are not CASes, half are PUTs and half GETs. With a {@code valueDomain} of 0 every write
     * has a value of its own; otherwise values are drawn from 1..valueDomain, so they repeat.
     */
    static List<Step> generate(
        final long seed,
        final int operations,
        final int clients,
        final int keys,
        final double pendingProbability,
        final double casProbability,
        final int valueDomain)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final long[] clientFreeAt = new long[clients];
        for (int c = 0; c < clients; c++)
        {
            clientFreeAt[c] = random.nextLong(100);
        }

        final ArrayList<Draft> drafts = new ArrayList<>(operations);
        for (int i = 0; i < operations; i++)
        {
            // The client that has been idle longest goes next, so all of them stay busy over the same stretch of time.
            int client = 0;
            for (int c = 1; c < clients; c++)
            {
                client = clientFreeAt[c] < clientFreeAt[client] ? c : client;
            }
            final long invoke = clientFreeAt[client] + random.nextLong(20);
            final long effect = invoke + random.nextLong(100);
            final long complete = effect + random.nextLong(100);
            final boolean pending = random.nextDouble() < pendingProbability;
            final double dice = random.nextDouble();
            final OperationKind kind = dice < casProbability ? OperationKind.CAS :
                dice < (1 + casProbability) / 2 ? OperationKind.PUT : OperationKind.GET;

            drafts.add(new Draft(
                i, client, kind, random.nextInt(keys), invoke, effect, complete, pending, random.nextBoolean()));
            // A client that times out gives up on the operation and carries on.
            clientFreeAt[client] = pending ? invoke + 300 : complete;
        }

        drafts.sort(Comparator.comparingLong((Draft d) -> d.effect).thenComparingInt(d -> d.id));
        final HashMap<Long, Long> registers = new HashMap<>();
        long nextValue = 1;
        final Step[] steps = new Step[operations];
        for (final Draft d : drafts)
        {
            final long current = registers.getOrDefault(d.key, History.ABSENT);
            final boolean takesEffect = !d.pending || d.pendingTookEffect;
            long expected = 0;
            long argument = 0;
            long output = 0;
            switch (d.kind)
            {
                case PUT:
                    argument = valueDomain == 0 ? nextValue++ : 1 + random.nextInt(valueDomain);
                    if (takesEffect)
                    {
                        registers.put(d.key, argument);
                    }
                    break;

                case GET:
                    output = current;
                    break;

                case CAS:
                    argument = valueDomain == 0 ? nextValue++ : 1 + random.nextInt(valueDomain);
                    expected = random.nextBoolean() ? current : random.nextBoolean() ? History.ABSENT :
                        1 + random.nextLong(valueDomain == 0 ? nextValue : valueDomain);
                    output = expected == current ? 1 : 0;
                    if (takesEffect && output == 1)
                    {
                        registers.put(d.key, argument);
                    }
                    break;
            }
            steps[d.id] = new Step(
                d.client, d.kind, d.key, expected, argument, d.pending ? 0 : output,
                d.invoke, d.effect, d.pending ? Long.MAX_VALUE : d.complete, !d.pending);
        }
        return List.of(steps);
    }

    /** Records the steps into a history in invocation order, as clients would have. */
    static History toHistory(final List<Step> steps)
    {
        final ArrayList<Step> byInvocation = new ArrayList<>(steps);
        byInvocation.sort(Comparator.comparingLong(Step::invokeNs));
        final History history = new History();
        for (final Step s : byInvocation)
        {
            final int op = history.invoke(s.client(), s.kind(), s.key(), s.expected(), s.argument(), s.invokeNs());
            if (s.completed())
            {
                history.complete(op, s.output(), s.completeNs());
            }
        }
        return history;
    }

    private record Draft(
        int id,
        int client,
        OperationKind kind,
        long key,
        long invoke,
        long effect,
        long complete,
        boolean pending,
        boolean pendingTookEffect)
    {
    }
}
