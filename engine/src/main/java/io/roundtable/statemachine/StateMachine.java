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
}
