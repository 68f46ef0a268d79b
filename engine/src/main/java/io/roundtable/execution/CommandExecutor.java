package io.roundtable.execution;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.function.LongConsumer;

/**
 * What the runtime and the simulator drive, whatever a protocol's execution rule: the dependency graph (EPaxos, Atlas,
 * Multi-Paxos's chain of slots) or timestamp stability (Tempo). The protocol core feeds decisions in through the
 * executor's own interface; this side runs them, in order, through an {@link ExecutionListener}.
 * <p>
 * Single-threaded: the duty cycle that feeds it drives it.
 */
public interface CommandExecutor
{
    /**
     * Executes what has become runnable, at most about {@code workLimit} steps of work, so a duty cycle stays short.
     *
     * @return the work done; 0 when nothing was runnable.
     */
    int execute(int workLimit);

    /**
     * Calls {@code consumer} once for each dot execution waits for that is not decided here: what the protocol should
     * learn or recover ({@code Protocol.onMissingDependency}). Returns their count.
     */
    int forEachMissingDependency(LongConsumer consumer);

    /** Whether {@code dot} has executed here (restored from a checkpoint included). */
    boolean isExecuted(long dot);

    /** Decided here, not executed yet. */
    int pendingCount();

    /**
     * Writes what has executed here, for a checkpoint, so {@link #restoreExecuted} on a fresh executor rebuilds it.
     *
     * @return the length written at {@code offset} of {@code out} (an expandable buffer).
     */
    int snapshotExecuted(MutableDirectBuffer out, int offset);

    /** On a fresh executor, before any decision: marks as executed what {@link #snapshotExecuted} wrote. */
    void restoreExecuted(DirectBuffer in, int offset, int length);

    /**
     * After a replay from a checkpoint: hands {@code consumer}, once each, the decisions that arrived for instances
     * the checkpoint had already executed (ignored here), so the core learns they executed. Returns their count.
     */
    int drainDecidedButRestored(LongConsumer consumer);
}
