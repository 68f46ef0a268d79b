package io.roundtable.protocol;

import org.agrona.MutableDirectBuffer;

/**
 * Where a protocol core puts the messages it sends. The core encodes one message at a time into {@link #buffer()}
 * at offset 0, then names its destinations; the implementation copies the bytes out (simulator: into the network
 * model; runtime: onto per-peer Aeron publications) before the next message is encoded. A replica never sends to
 * itself: a core applies its own vote directly.
 */
public interface Outbox
{
    MutableDirectBuffer buffer();

    void send(int toReplica, int length);

    /** Every replica except the sender. */
    void sendToAll(int length);
}
