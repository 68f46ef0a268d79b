package io.roundtable.statemachine;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;

/**
 * Applies each client request at most once, however many times it was proposed. A client that hears nothing re-sends
 * the same (clientId, requestNumber) to another replica, so one request can be committed in several instances; each
 * replica applies the first of them it executes and answers the others from a cache.
 * <p>
 * Per client it keeps the highest request number applied, that request's result bytes (in a buffer reused across
 * requests) and the request numbers below it that have <em>not</em> been applied yet, as ranges. Those gaps are what
 * a plain "highest applied" rule gets wrong under a leaderless protocol: a client's request n+1 on another key does
 * not conflict with n, so a replica that learned of n late may execute n+1 first. n must still be applied there, or
 * replicas diverge. Duplicates of one request always touch the same keys, so if they write they conflict and every
 * replica executes them in the same order: every replica applies the same instance and skips the same others, which
 * keeps this table (and the state) identical everywhere. Duplicates of a read may be seen in different orders, but a
 * read changes nothing.
 * <ul>
 * <li>A new highest request is applied, and its result cached.</li>
 * <li>A duplicate of the highest request returns the cached result without applying: that is the answer to a client
 * still waiting on it.</li>
 * <li>A request in a gap is applied (first arrival here) and its result is not cached.</li>
 * <li>A duplicate of an older request returns an empty result. No closed-loop client can observe it: a replica has
 * applied something newer from that client only if the client issued something newer, which it does only after it
 * received the answer to the older request, so nobody waits for this result.</li>
 * </ul>
 * Deterministic like its delegate, and allocation-free once warm: a new client allocates its entry, and a result
 * longer than any before grows that client's cache.
 */
public final class DeduplicatingStateMachine implements StateMachine
{
    private static final long NOTHING_APPLIED = Long.MIN_VALUE;

    private static final class ClientRecord
    {
        long highestApplied = NOTHING_APPLIED;
        byte[] cachedResult = new byte[64];
        int cachedLength;
        /** Disjoint inclusive ranges [low, high] of request numbers below highestApplied not applied yet, ascending. */
        final LongArrayList gaps = new LongArrayList(4, Long.MIN_VALUE);

        void cache(final DirectBuffer result, final int offset, final int length)
        {
            if (length > cachedResult.length)
            {
                cachedResult = new byte[Math.max(length, cachedResult.length * 2)];
            }
            result.getBytes(offset, cachedResult, 0, length);
            cachedLength = length;
        }

        void addGap(final long low, final long high)
        {
            gaps.addLong(low);
            gaps.addLong(high);
        }

        /** @return whether {@code requestNumber} was in a gap (and removes it from there). */
        boolean fillGap(final long requestNumber)
        {
            for (int i = 0, n = gaps.size(); i < n; i += 2)
            {
                final long low = gaps.getLong(i);
                final long high = gaps.getLong(i + 1);
                if (requestNumber < low)
                {
                    return false;
                }
                if (requestNumber <= high)
                {
                    if (low == high)
                    {
                        gaps.removeAt(i + 1);
                        gaps.removeAt(i);
                    }
                    else if (requestNumber == low)
                    {
                        gaps.setLong(i, low + 1);
                    }
                    else if (requestNumber == high)
                    {
                        gaps.setLong(i + 1, high - 1);
                    }
                    else
                    {
                        gaps.setLong(i + 1, requestNumber - 1);
                        gaps.addLong(i + 2, requestNumber + 1);
                        gaps.addLong(i + 3, high);
                    }
                    return true;
                }
            }
            return false;
        }
    }

    private final StateMachine delegate;
    private final Long2ObjectHashMap<ClientRecord> clients = new Long2ObjectHashMap<>();
    private long duplicatesSkipped;

    public DeduplicatingStateMachine(final StateMachine delegate)
    {
        if (null == delegate)
        {
            throw new NullPointerException("delegate");
        }
        this.delegate = delegate;
    }

    public int apply(
        final long clientId,
        final long requestNumber,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength,
        final MutableDirectBuffer result,
        final int resultOffset)
    {
        ClientRecord client = clients.get(clientId);
        if (null == client)
        {
            client = new ClientRecord();
            clients.put(clientId, client);
        }

        if (requestNumber > client.highestApplied)
        {
            // With nothing applied yet the gap starts at the smallest number: earlier requests may still arrive.
            final long firstUnapplied = client.highestApplied + 1;
            if (requestNumber > firstUnapplied)
            {
                client.addGap(firstUnapplied, requestNumber - 1);
            }
            client.highestApplied = requestNumber;
            final int length = delegate.apply(
                clientId, requestNumber, payload, payloadOffset, payloadLength, result, resultOffset);
            client.cache(result, resultOffset, length);
            return length;
        }

        if (requestNumber == client.highestApplied)
        {
            duplicatesSkipped++;
            result.putBytes(resultOffset, client.cachedResult, 0, client.cachedLength);
            return client.cachedLength;
        }

        if (client.fillGap(requestNumber))
        {
            return delegate.apply(clientId, requestNumber, payload, payloadOffset, payloadLength, result, resultOffset);
        }

        duplicatesSkipped++;
        return 0;
    }

    /**
     * The de-duplication table followed by the delegate's snapshot. Layout: client count; per client its id, highest
     * applied request, cached result (length, bytes) and gaps (count of longs, then the longs); then the delegate's
     * snapshot length and bytes.
     */
    public int snapshot(final MutableDirectBuffer out, final int offset)
    {
        int position = offset;
        out.putInt(position, clients.size());
        position += Integer.BYTES;
        for (final Long2ObjectHashMap<ClientRecord>.EntryIterator it = clients.entrySet().iterator(); it.hasNext(); )
        {
            it.next();
            final ClientRecord client = it.getValue();
            out.putLong(position, it.getLongKey());
            out.putLong(position + Long.BYTES, client.highestApplied);
            position += 2 * Long.BYTES;
            out.putInt(position, client.cachedLength);
            out.putBytes(position + Integer.BYTES, client.cachedResult, 0, client.cachedLength);
            position += Integer.BYTES + client.cachedLength;
            out.putInt(position, client.gaps.size());
            position += Integer.BYTES;
            for (int i = 0; i < client.gaps.size(); i++)
            {
                out.putLong(position, client.gaps.getLong(i));
                position += Long.BYTES;
            }
        }
        final int delegateLength = delegate.snapshot(out, position + Integer.BYTES);
        out.putInt(position, delegateLength);
        return position + Integer.BYTES + delegateLength - offset;
    }

    public void restore(final DirectBuffer snapshot, final int offset, final int length)
    {
        clients.clear();
        final int end = offset + length;
        int position = offset;
        final int count = snapshot.getInt(position);
        position += Integer.BYTES;
        for (int i = 0; i < count; i++)
        {
            final ClientRecord client = new ClientRecord();
            final long clientId = snapshot.getLong(position);
            client.highestApplied = snapshot.getLong(position + Long.BYTES);
            position += 2 * Long.BYTES;
            final int cachedLength = snapshot.getInt(position);
            position += Integer.BYTES;
            requireWithin(position + cachedLength, end);
            client.cachedResult = new byte[Math.max(64, cachedLength)];
            snapshot.getBytes(position, client.cachedResult, 0, cachedLength);
            client.cachedLength = cachedLength;
            position += cachedLength;
            final int gapLongs = snapshot.getInt(position);
            position += Integer.BYTES;
            requireWithin(position + gapLongs * Long.BYTES, end);
            for (int g = 0; g < gapLongs; g++)
            {
                client.gaps.addLong(snapshot.getLong(position));
                position += Long.BYTES;
            }
            clients.put(clientId, client);
        }
        final int delegateLength = snapshot.getInt(position);
        position += Integer.BYTES;
        requireWithin(position + delegateLength, end);
        if (position + delegateLength != end)
        {
            throw new IllegalArgumentException("de-duplication snapshot has " + (end - position - delegateLength) +
                " trailing bytes");
        }
        delegate.restore(snapshot, position, delegateLength);
    }

    private static void requireWithin(final int position, final int end)
    {
        if (position < 0 || position > end)
        {
            throw new IllegalArgumentException("de-duplication snapshot is corrupt: field ends at " + position +
                ", past its end " + end);
        }
    }

    /** Requests recognised as already applied and not applied again. */
    public long duplicatesSkipped()
    {
        return duplicatesSkipped;
    }

    /** The highest request number of {@code clientId} applied here, or {@link Long#MIN_VALUE} if none. */
    public long highestApplied(final long clientId)
    {
        final ClientRecord client = clients.get(clientId);
        return null == client ? NOTHING_APPLIED : client.highestApplied;
    }
}
