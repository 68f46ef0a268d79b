package io.roundtable.statemachine;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The replicated service. Every replica applies the same commands to its own instance, in an order the protocol
 * makes identical for conflicting commands, so implementations must be deterministic: no clocks, no randomness, no
 * I/O whose result can differ between replicas. Called on the replica's duty-cycle thread; must not block.
 */
public interface StateMachine
{
    /**
     * Applies one command.
     *
     * @param result where to write the reply to the client; its capacity may be exceeded only by calling
     *               {@code result.putBytes} on an expandable buffer.
     * @return the length of the result written at {@code resultOffset}.
     */
    int apply(
        long clientId,
        long requestNumber,
        DirectBuffer payload,
        int payloadOffset,
        int payloadLength,
        MutableDirectBuffer result,
        int resultOffset);

    /**
     * Writes the whole state at {@code offset} of {@code out} (an expandable buffer: it grows as written), so that
     * {@link #restore} on a fresh instance rebuilds it: what a replica needs before it can drop the journal records
     * the state already reflects. Not on the hot path; may allocate.
     *
     * @return the length written.
     * @throws UnsupportedOperationException if this state machine cannot snapshot (the default).
     */
    default int snapshot(final MutableDirectBuffer out, final int offset)
    {
        throw new UnsupportedOperationException(getClass().getName() + " does not take snapshots");
    }

    /** Replaces the whole state with one written by {@link #snapshot}. */
    default void restore(final DirectBuffer snapshot, final int offset, final int length)
    {
        throw new UnsupportedOperationException(getClass().getName() + " does not restore snapshots");
    }
}
