package io.roundtable.protocol.tempo;

import io.roundtable.command.KeySet;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongHashSet;

/**
 * This replica's clock per key (Tempo §3): every value up to a key's clock has been promised by this replica, either
 * to a command (an attached promise: the range a proposal took) or to none (a detached promise: a bump after a
 * commit). A proposal is above every clock of its keys, so no two commands are ever given the same value on a key by
 * the same replica, and a replica never proposes at or below a value it promised. Keys whose clock moved since the
 * last promises message are remembered, so that message carries only those.
 */
final class KeyClocks
{
    private final Long2LongHashMap clocks = new Long2LongHashMap(0L);
    private final LongHashSet changed = new LongHashSet();
    /** Every key with a clock, in the order they appeared: a stable order for refreshing a window of them at a time. */
    private final LongArrayList allKeys = new LongArrayList();

    long clock(final long key)
    {
        return clocks.get(key);
    }

    /**
     * Proposes a timestamp for a command on {@code keys}: {@code max(min, max over keys of clock + 1)}, and raises
     * every key's clock to it. {@code voteFrom[i]} receives the first value of the attached range this proposal takes
     * on key i (the range ends at the proposal); the range is never empty.
     */
    long propose(final KeySet keys, final long min, final long[] voteFrom)
    {
        long proposal = Math.max(min, 1);
        for (int i = 0, n = keys.count(); i < n; i++)
        {
            proposal = Math.max(proposal, clocks.get(keys.key(i)) + 1);
        }
        for (int i = 0, n = keys.count(); i < n; i++)
        {
            final long key = keys.key(i);
            voteFrom[i] = clocks.get(key) + 1;
            put(key, proposal);
        }
        return proposal;
    }

    /** Raises every key's clock to at least {@code timestamp}: detached promises, so idle keys become stable. */
    void bump(final KeySet keys, final long timestamp)
    {
        for (int i = 0, n = keys.count(); i < n; i++)
        {
            raise(keys.key(i), timestamp);
        }
    }

    void raise(final long key, final long value)
    {
        if (value > clocks.get(key))
        {
            put(key, value);
        }
    }

    private void put(final long key, final long value)
    {
        if (clocks.put(key, value) == clocks.missingValue())
        {
            allKeys.addLong(key);
        }
        changed.add(key);
    }

    /** Keys whose clock moved since {@link #clearChanged()}. */
    LongHashSet changed()
    {
        return changed;
    }

    void clearChanged()
    {
        changed.clear();
    }

    int keyCount()
    {
        return clocks.size();
    }

    /** The {@code index}-th key that ever got a clock (0 ≤ index < {@link #keyCount()}). */
    long keyAt(final int index)
    {
        return allKeys.getLong(index);
    }

    /** Checkpoint layout: count (int), then (key, clock) longs. Not for the hot path. */
    int snapshot(final MutableDirectBuffer out, final int offset)
    {
        out.putInt(offset, clocks.size());
        int position = offset + Integer.BYTES;
        final Long2LongHashMap.EntryIterator entries = clocks.entrySet().iterator();
        while (entries.hasNext())
        {
            entries.next();
            out.putLong(position, entries.getLongKey());
            out.putLong(position + Long.BYTES, entries.getLongValue());
            position += 2 * Long.BYTES;
        }
        return position - offset;
    }

    int restore(final DirectBuffer in, final int offset, final int length)
    {
        final int count = in.getInt(offset);
        final int size = Integer.BYTES + count * 2 * Long.BYTES;
        if (count < 0 || size > length)
        {
            throw new IllegalArgumentException("Tempo checkpoint state is corrupt: " + count + " key clocks");
        }
        int position = offset + Integer.BYTES;
        for (int i = 0; i < count; i++)
        {
            raise(in.getLong(position), in.getLong(position + Long.BYTES));
            position += 2 * Long.BYTES;
        }
        return size;
    }
}
