package io.roundtable.runtime;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Client answers kept back until the journal has been flushed. An answer reveals that a command executed, and what
 * let it execute may rest on records this replica appended but has not yet synced: a Tempo replica's own promises,
 * which counted towards the command's stability, or an EPaxos coordinator's commit. Released after the flush, an
 * answer can never outlive a crash that forgets its reasons. Held answers are copied into one growable buffer,
 * reused from cycle to cycle, so holding does not allocate once warm.
 */
final class HeldResponses
{
    /** What is done with each held answer on release, in the order they were held. */
    @FunctionalInterface
    interface Sender
    {
        void send(long clientId, long requestNumber, DirectBuffer result, int offset, int length);
    }

    private static final int CLIENT_ID_OFFSET = 0;
    private static final int REQUEST_NUMBER_OFFSET = CLIENT_ID_OFFSET + Long.BYTES;
    private static final int LENGTH_OFFSET = REQUEST_NUMBER_OFFSET + Long.BYTES;
    private static final int HEADER_LENGTH = LENGTH_OFFSET + Integer.BYTES;

    private final ExpandableArrayBuffer held = new ExpandableArrayBuffer(64 * 1024);
    private final UnsafeBuffer resultView = new UnsafeBuffer(0, 0);
    private int limit;
    private int count;

    /** Copies one answer in; it leaves at the next {@link #release}. */
    void hold(final long clientId, final long requestNumber, final DirectBuffer result, final int offset,
        final int length)
    {
        final int at = limit;
        held.putLong(at + CLIENT_ID_OFFSET, clientId);
        held.putLong(at + REQUEST_NUMBER_OFFSET, requestNumber);
        held.putInt(at + LENGTH_OFFSET, length);
        held.putBytes(at + HEADER_LENGTH, result, offset, length);
        limit = BitUtil.align(at + HEADER_LENGTH + length, Long.BYTES);
        count++;
    }

    /** Hands every held answer to {@code sender}, oldest first, and forgets them; returns how many there were. */
    int release(final Sender sender)
    {
        final int released = count;
        int at = 0;
        while (at < limit)
        {
            final int length = held.getInt(at + LENGTH_OFFSET);
            resultView.wrap(held, at + HEADER_LENGTH, length);
            sender.send(held.getLong(at + CLIENT_ID_OFFSET), held.getLong(at + REQUEST_NUMBER_OFFSET), resultView, 0,
                length);
            at = BitUtil.align(at + HEADER_LENGTH + length, Long.BYTES);
        }
        limit = 0;
        count = 0;
        return released;
    }

    int size()
    {
        return count;
    }
}
