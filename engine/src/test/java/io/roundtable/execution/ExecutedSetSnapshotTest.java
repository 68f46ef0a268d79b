package io.roundtable.execution;

import io.roundtable.protocol.Dot;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The executed set a checkpoint carries: watermarks plus what executed above a gap, restored on a fresh executor. */
class ExecutedSetSnapshotTest
{
    private final ExecutionRecorder before = new ExecutionRecorder();
    private final GraphExecutor original = new GraphExecutor(2, 16, before);
    private final ExecutionRecorder after = new ExecutionRecorder();
    private final GraphExecutor restored = new GraphExecutor(2, 16, after);
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);

    @Test
    void restoredExecutorIgnoresWhatExecutedAndRunsWhatDependsOnIt()
    {
        // replica 0: 1, 2 executed (watermark 2); 4 executed above the gap at 3; replica 1: 1 pending on 0.3
        commit(original, Dot.of(0, 1));
        commit(original, Dot.of(0, 2));
        commit(original, Dot.of(0, 4));
        commit(original, Dot.of(1, 1), Dot.of(0, 3));
        original.execute(Integer.MAX_VALUE);
        assertEquals(2, original.executedUpTo(0));

        final int length = original.snapshotExecuted(buffer, 8);
        assertEquals(Integer.BYTES + 2 * Long.BYTES + Integer.BYTES + Long.BYTES, length);
        restored.restoreExecuted(buffer, 8, length);

        assertEquals(2, restored.executedUpTo(0));
        assertTrue(restored.isExecuted(Dot.of(0, 4)));
        assertFalse(restored.isExecuted(Dot.of(0, 3)));
        assertFalse(restored.isExecuted(Dot.of(1, 1)));

        commit(restored, Dot.of(0, 4)); // a commit of an instance the snapshot reflects: ignored
        commit(restored, Dot.of(1, 1), Dot.of(0, 3));
        restored.execute(Integer.MAX_VALUE);
        assertEquals(ExecutionRecorder.describe(new long[0]), after.describe());

        commit(restored, Dot.of(0, 3), Dot.of(0, 2));
        restored.execute(Integer.MAX_VALUE);
        assertEquals(ExecutionRecorder.describe(Dot.of(0, 3), Dot.of(1, 1)), after.describe());
        assertEquals(4, restored.executedUpTo(0), "the gap filled: the watermark passes the restored instance");
    }

    @Test
    void refusesToRestoreIntoAnExecutorInUse()
    {
        final int length = original.snapshotExecuted(buffer, 0);
        commit(restored, Dot.of(1, 2), Dot.of(1, 1));
        assertThrows(IllegalStateException.class, () -> restored.restoreExecuted(buffer, 0, length));
    }

    @Test
    void refusesASnapshotOfAnotherClusterSizeOrATruncatedOne()
    {
        final int length = new GraphExecutor(3, 16, dot -> { }).snapshotExecuted(buffer, 0);
        assertThrows(IllegalArgumentException.class, () -> restored.restoreExecuted(buffer, 0, length));

        final int ours = original.snapshotExecuted(buffer, 0);
        assertThrows(IllegalArgumentException.class, () -> restored.restoreExecuted(buffer, 0, ours - 1));
    }

    private static void commit(final GraphExecutor executor, final long dot, final long... deps)
    {
        executor.commit(dot, 0, deps, deps.length);
    }
}
