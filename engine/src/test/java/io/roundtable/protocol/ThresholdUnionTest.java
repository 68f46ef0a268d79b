package io.roundtable.protocol;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThresholdUnionTest
{
    private static final long A = Dot.of(0, 1);
    private static final long B = Dot.of(1, 1);
    private static final long C = Dot.of(2, 1);

    private static DotSet set(final long... dots)
    {
        final DotSet set = new DotSet(4);
        for (final long dot : dots)
        {
            set.add(dot);
        }
        return set;
    }

    private static long[] toArray(final DotSet set)
    {
        return java.util.Arrays.copyOf(set.array(), set.size());
    }

    @Test
    void slidesExample()
    {
        final ThresholdUnion union = new ThresholdUnion(1);
        union.add(set(A, B, C));
        union.add(set(A, C));
        union.add(set(A));
        final DotSet out = new DotSet();

        union.thresholdUnion(1, out);
        assertArrayEquals(toArray(set(A, C)), toArray(out), "⨃1 = {A, C}");
        union.thresholdUnion(2, out);
        assertArrayEquals(toArray(set(A)), toArray(out), "⨃2 = {A}");
        union.union(out);
        assertArrayEquals(toArray(set(A, B, C)), toArray(out));
        assertEquals(3, union.reporters());
        assertEquals(2, union.countOf(C));
        assertEquals(0, union.countOf(Dot.of(3, 3)));
    }

    /**
     * With f = 1 every dependency some fast-quorum member reported is fast: either another member reported it, or
     * only the coordinator had it, in its {@code past}, which every acceptor unions into its reply. Acceptors here
     * report past ∪ a random subset of their own conflicts, as Atlas's MCollect handling does.
     */
    @Test
    void fastPathIsAlwaysTakenWithOneTolerableFailure()
    {
        final SplittableRandom random = new SplittableRandom(42);
        final ThresholdUnion union = new ThresholdUnion();
        for (int replicas = 3; replicas <= 9; replicas += 2)
        {
            final int fastQuorum = QuorumSizes.atlasFastQuorum(replicas, 1);
            for (int round = 0; round < 2_000; round++)
            {
                union.clear();
                final DotSet past = randomSet(random, replicas);
                for (int member = 1; member < fastQuorum; member++)
                {
                    final DotSet reply = randomSet(random, replicas);
                    reply.addAll(past);
                    union.add(reply);
                }
                assertTrue(union.everyDotReportedAtLeast(1), "N=" + replicas + " round " + round);
            }
        }
    }

    /** N = 5, f = 2: the coordinator's peers {1, 2, 3} must report a dependency twice for the fast path. */
    @Test
    void depReportedByFOthersIsFastByFewerIsSlow()
    {
        final int f = 2;
        final ThresholdUnion union = new ThresholdUnion();
        union.add(set(A, B));
        union.add(set(A, B));
        union.add(set(A));
        assertTrue(union.everyDotReportedAtLeast(f), "B reported by 2 = f of the others: fast");

        union.clear();
        union.add(set(A, B));
        union.add(set(A));
        union.add(set(A));
        assertFalse(union.everyDotReportedAtLeast(f), "B reported by 1 < f of the others: slow");
    }

    /**
     * The trap of the design note §1.2: counting the coordinator's own report and asking for f+1 would send this
     * fast-path case (B unknown to the coordinator, reported by f others) to the slow path. The coordinator counts
     * as the union, so f reports from the others are enough.
     */
    @Test
    void coordinatorOwnReportCountsAsUnion()
    {
        final int f = 2;
        final ThresholdUnion othersOnly = new ThresholdUnion();
        othersOnly.add(set(A, B));
        othersOnly.add(set(A, B));
        othersOnly.add(set(A));
        assertTrue(othersOnly.everyDotReportedAtLeast(f));

        final ThresholdUnion withOwnReport = new ThresholdUnion();
        withOwnReport.add(set(A)); // the coordinator's past: no B
        withOwnReport.add(set(A, B));
        withOwnReport.add(set(A, B));
        withOwnReport.add(set(A));
        assertFalse(withOwnReport.everyDotReportedAtLeast(f + 1), "the stricter (wrong) reading refuses it");
    }

    @Test
    void growsPastItsInitialCapacity()
    {
        final ThresholdUnion union = new ThresholdUnion(1);
        final DotSet reply = new DotSet();
        for (int i = 100; i > 0; i--)
        {
            reply.add(Dot.of(i % 7, i));
        }
        union.add(reply);
        union.add(reply);
        assertEquals(100, union.size());
        final DotSet out = new DotSet();
        union.thresholdUnion(1, out);
        assertArrayEquals(toArray(reply), toArray(out));
    }

    private static DotSet randomSet(final SplittableRandom random, final int replicas)
    {
        final DotSet set = new DotSet();
        final int size = random.nextInt(5);
        for (int i = 0; i < size; i++)
        {
            set.add(Dot.of(random.nextInt(replicas), 1 + random.nextInt(6)));
        }
        return set;
    }
}
