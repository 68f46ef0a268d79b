package io.roundtable.sim.check;

import io.roundtable.command.KeySet;
import io.roundtable.protocol.Dot;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExecutionOrderCheckerTest
{
    private static final long A = Dot.of(0, 1);
    private static final long B = Dot.of(1, 1);
    private static final long C = Dot.of(2, 1);
    private static final long READ = Dot.of(2, 2);

    private final ExecutionOrderChecker checker = new ExecutionOrderChecker(3);

    private static KeySet write(final long key)
    {
        final KeySet keys = new KeySet();
        keys.add(key, true);
        return keys;
    }

    private static KeySet read(final long key)
    {
        final KeySet keys = new KeySet();
        keys.add(key, false);
        return keys;
    }

    private void execute(final int replica, final long... dots)
    {
        for (final long dot : dots)
        {
            checker.onExecute(replica, dot, write(5));
        }
    }

    @Test
    void acceptsTheSameWriteOrderEverywhere()
    {
        execute(0, A, B, C);
        execute(1, A, B, C);
        execute(2, A, B);
        assertEquals(List.of(), checker.check());
    }

    @Test
    void flagsAnInstanceExecutedTwiceByOneIncarnation()
    {
        execute(1, A, B, A);
        final List<String> violations = checker.check();
        assertEquals(1, violations.size(), violations.toString());
        assertTrue(violations.get(0).contains("executed " + Dot.toString(A) + " twice"), violations.get(0));
    }

    @Test
    void letsARestartedReplicaReExecuteWhatItsJournalHolds()
    {
        execute(0, A, B, C);
        execute(1, A, B);
        checker.onRestart(1);
        execute(1, A, B, C);
        assertEquals(List.of(), checker.check());
        assertEquals(Set.of(A, B, C), checker.executedAt(1), "the latest incarnation's instances");
    }

    @Test
    void flagsARestartedReplicaThatReExecutesInAnotherOrder()
    {
        execute(0, A, B, C);
        execute(1, A, B);
        checker.onRestart(1);
        execute(1, B, A, C);
        final List<String> violations = checker.check();
        assertEquals(1, violations.size(), violations.toString());
        assertTrue(violations.get(0).contains("replica 1 (incarnation 1)"), violations.get(0));
    }

    @Test
    void flagsADeadIncarnationThatExecutedInAnotherOrderThanItsSuccessor()
    {
        execute(0, A, B, C);
        execute(1, B, A);
        checker.onRestart(1);
        execute(1, A, B, C);
        assertEquals(1, checker.check().size(), checker.check().toString());
    }

    @Test
    void comparesEveryReplicaNotOnlyWithTheFirst()
    {
        // replica 0 lags behind with one write: two replicas that diverge after it must still be caught
        execute(0, A);
        execute(1, A, B, C);
        execute(2, A, C, B);
        assertEquals(1, checker.check().size(), checker.check().toString());
    }

    @Test
    void flagsAReadThatFollowsDifferentWritesAtTwoReplicas()
    {
        execute(0, A);
        checker.onExecute(0, READ, read(5));
        execute(0, B);
        execute(1, A, B);
        checker.onExecute(1, READ, read(5));
        execute(2, A, B);
        final List<String> violations = checker.check();
        assertEquals(1, violations.size(), violations.toString());
        assertTrue(violations.get(0).contains("read " + Dot.toString(READ)), violations.get(0));
    }
}
