package io.roundtable.sim;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongArrayList;

/**
 * What a replica produced while handling one event (messages to peers, replies to clients), held until the event is
 * over, as the runtime drains its outbox only after the duty cycle's journal records are durable. Holding them is
 * what lets the simulator crash a replica "between journaling and sending": the journal keeps the event's records
 * while these are discarded. Kept in production order, so releasing them replays exactly what sending them on the
 * spot would have done.
 */
final class PendingOutput
{
    /** Receives released output in the order it was produced. */
    interface Sink
    {
        void message(int from, int to, DirectBuffer buffer, int offset, int length);

        void reply(int replica, long clientId, long requestNumber, DirectBuffer result, int offset, int length);
    }

    private static final int MESSAGE = 0;
    private static final int REPLY = 1;

    private final ExpandableArrayBuffer bytes = new ExpandableArrayBuffer(4096);
    private final IntArrayList kinds = new IntArrayList();
    private final IntArrayList offsets = new IntArrayList();
    private final IntArrayList lengths = new IntArrayList();
    private final IntArrayList destinations = new IntArrayList();
    private final LongArrayList clientIds = new LongArrayList();
    private final LongArrayList requestNumbers = new LongArrayList();
    private int limit;

    void message(final int to, final DirectBuffer source, final int length)
    {
        add(MESSAGE, to, 0, 0, source, 0, length);
    }

    void reply(
        final long clientId, final long requestNumber, final DirectBuffer result, final int offset, final int length)
    {
        add(REPLY, -1, clientId, requestNumber, result, offset, length);
    }

    boolean isEmpty()
    {
        return kinds.isEmpty();
    }

    /** Sends everything held, in order, and forgets it. */
    void release(final int from, final Sink sink)
    {
        for (int i = 0, n = kinds.size(); i < n; i++)
        {
            if (kinds.getInt(i) == MESSAGE)
            {
                sink.message(from, destinations.getInt(i), bytes, offsets.getInt(i), lengths.getInt(i));
            }
            else
            {
                sink.reply(from, clientIds.getLong(i), requestNumbers.getLong(i), bytes, offsets.getInt(i),
                    lengths.getInt(i));
            }
        }
        clear();
    }

    /** Forgets everything held; returns how many messages (not replies) that was. */
    int discard()
    {
        int messages = 0;
        for (int i = 0, n = kinds.size(); i < n; i++)
        {
            messages += kinds.getInt(i) == MESSAGE ? 1 : 0;
        }
        clear();
        return messages;
    }

    private void add(
        final int kind, final int to, final long clientId, final long requestNumber,
        final DirectBuffer source, final int offset, final int length)
    {
        bytes.putBytes(limit, source, offset, length);
        kinds.addInt(kind);
        destinations.addInt(to);
        clientIds.addLong(clientId);
        requestNumbers.addLong(requestNumber);
        offsets.addInt(limit);
        lengths.addInt(length);
        limit += length;
    }

    private void clear()
    {
        kinds.clear();
        destinations.clear();
        clientIds.clear();
        requestNumbers.clear();
        offsets.clear();
        lengths.clear();
        limit = 0;
    }
}
