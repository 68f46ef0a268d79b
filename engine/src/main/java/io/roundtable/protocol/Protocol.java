package io.roundtable.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A replication protocol as a pure, deterministic, single-threaded state machine: messages and time in; messages
 * ({@link Outbox}), durable records ({@link JournalSink}) and decided instances ({@link CommitSink}) out. No threads,
 * clocks, sockets or files inside, so the same object runs under the simulator's virtual clock and in the Aeron
 * runtime. Allocation-free once warm.
 */
public interface Protocol
{
    /**
     * Coordinates an encoded {@code CommandBatch} in a new instance of this replica.
     *
     * @return the dot of the new instance.
     */
    long submit(DirectBuffer commandBatch, int offset, int length);

    /**
     * One SBE message from a peer. Malformed or unexpected input is counted and dropped, never thrown.
     */
    void onMessage(int fromReplica, DirectBuffer buffer, int offset, int length);

    /** Drives timers; {@code nowNs} never decreases. */
    void onTick(long nowNs);

    /**
     * The end of one batch of input: the runtime calls it once per duty cycle after the peer messages it polled and
     * the batch it submitted, the simulator after each event. A core that gathers output across messages sends it
     * here (Tempo's promise snapshots, which would otherwise wait for the next tick), so what one duty cycle learnt
     * goes out in one message per peer, as soon as it can.
     */
    default void endOfInput()
    {
    }

    /**
     * Rebuilds state from one journal record. After a restart the runtime calls this for every record, in journal
     * order, before any other input; decided instances reach the {@link CommitSink} again, so a fresh executor and
     * state machine are rebuilt too.
     */
    void replay(DirectBuffer record, int offset, int length);

    /**
     * The executor has been waiting for {@code dot}, which is not committed here: learn its decision or recover it.
     * Called periodically (from the duty cycle's timer step) with what {@code GraphExecutor.forEachMissingDependency}
     * reports.
     */
    void onMissingDependency(long dot);

    /** Points {@code view} at the commands of a committed instance; false if this replica does not hold them. */
    boolean wrapCommands(long dot, UnsafeBuffer view);

    /** The executor applied the instance; the core may now reclaim what only execution needed. */
    void onExecuted(long dot);

    /**
     * Checkpoint, step 1: writes what a replay starting at a checkpoint needs besides the instances themselves (the
     * next instance number, what has been garbage-collected, what has executed). The runtime calls it between duty
     * cycle steps, when the executor and state machine are snapshotted too, so all three describe the same moment.
     * Not on the hot path.
     *
     * @return the length written at {@code offset} of {@code out} (an expandable buffer).
     */
    int snapshotState(MutableDirectBuffer out, int offset);

    /**
     * Checkpoint, step 2: re-journals every instance this core still holds, whole (commands included), so that no
     * record written before the checkpoint is needed any more.
     */
    void journalLiveInstances();

    /**
     * A replay that starts at a checkpoint hands over what {@link #snapshotState} wrote, before any record. The
     * executor has been told what had executed at that point, so it ignores those instances' commits.
     */
    void restoreState(DirectBuffer state, int offset, int length);

    ProtocolCounters counters();
}
