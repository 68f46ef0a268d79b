package io.roundtable.sim.check;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.roundtable.sim.check.AtomicRegisterSimulation.Step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class LinearizabilityRandomizedTest
{
    private static final long[] SEEDS = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
    private static final int OPERATIONS = 2_000;
    private static final double PENDING = 0.01;
    private static final double CAS = 0.2;

    /**
     * A linearizable simulator history should cost about one configuration per operation; a search that backtracks
     * far more than this would make thousands of seeds per CI run slow, or run into the budget.
     */
    private static final int MAX_STATES_PER_OPERATION = 3;

    @Test
    void atomicRegisterHistoriesAreLinearizableWithinBudget()
    {
        assertAllLinearizable("10 clients, 5 keys", 10, 5, PENDING, CAS, 0);
    }

    @Test
    void hotKeyHistoriesWithThirtyClientsAreLinearizableWithinBudget()
    {
        assertAllLinearizable("30 clients, 1 key, 5% pending, 30% CAS", 30, 1, 0.05, 0.3, 0);
    }

    @Test
    void historiesWithRepeatedValuesAreLinearizableWithinBudget()
    {
        assertAllLinearizable("10 clients, 2 keys, values 1..5", 10, 2, PENDING, CAS, 5);
    }

    @Test
    void readOfAValueNeverWrittenIsCaughtInEveryHistory()
    {
        for (final long seed : SEEDS)
        {
            final List<Step> steps = AtomicRegisterSimulation.generate(seed, OPERATIONS, 10, 5, PENDING);
            final int read = pickCompletedRead(steps, new SplittableRandom(seed));
            final ArrayList<Step> corrupted = new ArrayList<>(steps);
            corrupted.set(read, steps.get(read).withOutput(-42));

            final LinearizabilityChecker.Result result =
                LinearizabilityChecker.check(AtomicRegisterSimulation.toHistory(corrupted));

            assertTrue(result.violation(), () -> "seed " + seed + ": " + result);
            assertEquals(steps.get(read).key(), result.key());
        }
    }

    @Test
    void readOfAnOverwrittenValueIsCaughtInEveryHistory()
    {
        for (final long seed : SEEDS)
        {
            assertStaleReadCaught(seed, AtomicRegisterSimulation.generate(seed, OPERATIONS, 10, 5, PENDING));
        }
    }

    @Test
    void readOfAnOverwrittenValueIsCaughtOnAHotKey()
    {
        for (final long seed : SEEDS)
        {
            assertStaleReadCaught(seed, AtomicRegisterSimulation.generate(seed, OPERATIONS, 30, 1, 0.05, 0.3, 0));
        }
    }

    /**
     * The pruning rules of the search are only sound if they never reject a linearizable history nor accept one that
     * is not; the definition, searched naively, is the judge on small histories of every shape.
     */
    @Test
    void agreesWithExhaustiveSearchOnSmallHistories()
    {
        final SplittableRandom random = new SplittableRandom(42);
        int violations = 0;
        final int histories = 100_000;
        for (int i = 0; i < histories; i++)
        {
            final History history = i % 2 == 0 ? SmallHistories.arbitrary(random) : SmallHistories.simulated(random);
            final boolean expected = ExhaustiveLinearizability.isLinearizable(history);
            final LinearizabilityChecker.Result result = LinearizabilityChecker.check(history);

            if (result.ok() != expected || result.unknown())
            {
                fail("history " + i + ": exhaustive search says " + expected + ", checker " + result + "\n" + history);
            }
            violations += expected ? 0 : 1;
        }
        // Both verdicts must be well represented, or the agreement means little.
        assertTrue(violations > histories / 10 && violations < histories * 9 / 10, "violations: " + violations);
    }

    private static void assertAllLinearizable(
        final String shape,
        final int clients,
        final int keys,
        final double pending,
        final double cas,
        final int valueDomain)
    {
        long operations = 0;
        long nanos = 0;
        long states = 0;
        for (final long seed : SEEDS)
        {
            final History history = AtomicRegisterSimulation.toHistory(
                AtomicRegisterSimulation.generate(seed, OPERATIONS, clients, keys, pending, cas, valueDomain));

            final long start = System.nanoTime();
            final LinearizabilityChecker.Result result = LinearizabilityChecker.check(history);
            nanos += System.nanoTime() - start;

            assertTrue(result.ok(), () -> "seed " + seed + ": " + result);
            assertTrue(
                result.statesExplored() <= (long)MAX_STATES_PER_OPERATION * OPERATIONS,
                () -> "seed " + seed + ": " + result.statesExplored() + " states for " + OPERATIONS + " operations");
            operations += history.size();
            states += result.statesExplored();
        }
        System.out.printf(
            "linearizability checker, %s: %d operations in %.1f ms, %.0f operations/s, %.2f states/operation%n",
            shape, operations, nanos / 1e6, operations * 1e9 / nanos, (double)states / operations);
    }

    /**
     * Gives a read the value of a write W1 that was overwritten by a write W2, where W1 finished before W2 began and
     * W2 finished before the read began. Values are unique, so the read must follow W2 and still see W1: no
     * linearization exists, and only the search, not the unwritten-value check, can tell.
     */
    private static void assertStaleReadCaught(final long seed, final List<Step> steps)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        for (int attempt = 0; attempt < 10_000; attempt++)
        {
            final int read = pickCompletedRead(steps, random);
            final int overwritten = overwrittenBefore(steps, steps.get(read));
            if (overwritten < 0)
            {
                continue;
            }
            final ArrayList<Step> corrupted = new ArrayList<>(steps);
            corrupted.set(read, steps.get(read).withOutput(steps.get(overwritten).argument()));

            final LinearizabilityChecker.Result result =
                LinearizabilityChecker.check(AtomicRegisterSimulation.toHistory(corrupted));

            assertTrue(result.violation(), () -> "seed " + seed + ": " + result);
            assertEquals(steps.get(read).key(), result.key());
            return;
        }
        fail("seed " + seed + ": no read with two writes finished before it");
    }

    /** A completed write W1 with a completed write W2 after it, both finished before {@code read} began; or -1. */
    private static int overwrittenBefore(final List<Step> steps, final Step read)
    {
        int latest = -1;
        for (int i = 0; i < steps.size(); i++)
        {
            final Step s = steps.get(i);
            if (s.key() == read.key() && s.isCompletedWrite() && s.completeNs() < read.invokeNs() &&
                (latest < 0 || s.completeNs() > steps.get(latest).completeNs()))
            {
                latest = i;
            }
        }
        for (int i = 0; latest >= 0 && i < steps.size(); i++)
        {
            final Step s = steps.get(i);
            if (s.key() == read.key() && s.isCompletedWrite() && s.completeNs() < steps.get(latest).invokeNs())
            {
                return i;
            }
        }
        return -1;
    }

    private static int pickCompletedRead(final List<Step> steps, final SplittableRandom random)
    {
        while (true)
        {
            final int i = random.nextInt(steps.size());
            if (steps.get(i).kind() == OperationKind.GET && steps.get(i).completed())
            {
                return i;
            }
        }
    }
}
