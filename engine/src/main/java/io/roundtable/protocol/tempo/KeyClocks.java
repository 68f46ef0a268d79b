package io.roundtable.protocol.tempo;

import io.roundtable.command.KeySet;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongHashSet;

import java.util.Arrays;

/**
 * This replica's clock per key (Tempo §3): every value up to a key's clock has been promised by this replica, either
 * to a command (an attached promise: the range a proposal took) or to none (a detached promise: a bump after a
 * commit). A proposal is above every clock of its keys, so no two commands are ever given the same value on a key by
 * the same replica, and a replica never proposes at or below a value it promised. Keys whose clock moved since the
 * last promises message are remembered, so that message carries only those.
 * <p>
 * <b>Reclaiming quiet keys.</b> Only keys in use hold a row. A row is {@link #fold folded} away once its key is quiet
 * (the core decides when): its value goes into a {@link #floor()} under every key's clock, so a key's clock is
 * {@code max(row, floor)}, and a key with no row has the floor. Raising the floor only promises more (detached
 * promises on every key), so it is always safe; what matters is that no clock ever goes down, which holds because a
 * folded row's value stays under the floor. A key that comes back gets a row at once, at its clock, and is marked
 * changed, so its (possibly floor-raised) clock is published: peers that forgot the key learn it again.
 * <p>
 * Durability: a checkpoint carries the floor with the rows. A replay without one rebuilds the rows of folded keys
 * from their journaled records, so {@link #raiseFloorToHighest()} after a replay puts the floor at or above where it
 * was before the restart (every folded value came from such a record or from an earlier floor).
 */
final class KeyClocks
{
    private static final long ABSENT = -1L;

    private final Long2LongHashMap indexByKey = new Long2LongHashMap(ABSENT);
    private final LongHashSet changed = new LongHashSet();
    /** Rows in a dense array (swap-remove on fold): a stable enough order to refresh a window of them at a time. */
    private long[] keys = new long[64];
    private long[] values = new long[64];
    private int count;
    private long floor;
    private long highest;

    long clock(final long key)
    {
        final int index = (int)indexByKey.get(key);
        return index == ABSENT ? floor : Math.max(values[index], floor);
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
            proposal = Math.max(proposal, clock(keys.key(i)) + 1);
        }
        for (int i = 0, n = keys.count(); i < n; i++)
        {
            final long key = keys.key(i);
            voteFrom[i] = clock(key) + 1;
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

    /**
     * Raises {@code key}'s clock to at least {@code value}. A key without a row gets one even if the floor covers the
     * value: its clock is then published, which a peer that forgot the key needs to see it stable again.
     */
    void raise(final long key, final long value)
    {
        final int index = (int)indexByKey.get(key);
        if (index == ABSENT || value > values[index])
        {
            put(key, Math.max(value, floor));
        }
    }

    private void put(final long key, final long value)
    {
        final int index = (int)indexByKey.get(key);
        if (index == ABSENT)
        {
            if (count == keys.length)
            {
                keys = Arrays.copyOf(keys, count * 2);
                values = Arrays.copyOf(values, count * 2);
            }
            keys[count] = key;
            values[count] = value;
            indexByKey.put(key, count++);
        }
        else
        {
            values[index] = value;
        }
        highest = Math.max(highest, value);
        changed.add(key);
    }

    /**
     * Drops {@code key}'s row, its value going into the floor. Refused while the key's clock still has to be
     * published (changed since the last promises message): the row is what publishes it.
     *
     * @return true if the key has no row any more.
     */
    boolean fold(final long key)
    {
        final int index = (int)indexByKey.get(key);
        if (index == ABSENT)
        {
            return true;
        }
        if (changed.contains(key))
        {
            return false;
        }
        floor = Math.max(floor, values[index]);
        final int last = --count;
        if (index != last)
        {
            keys[index] = keys[last];
            values[index] = values[last];
            indexByKey.put(keys[index], index);
        }
        indexByKey.remove(key);
        return true;
    }

    /** Every key's clock is at least this (a key without a row is at it). */
    long floor()
    {
        return floor;
    }

    /** After a replay: the floor covers every value any row has held, so it is at least what it was before. */
    void raiseFloorToHighest()
    {
        floor = Math.max(floor, highest);
    }

    boolean hasRow(final long key)
    {
        return indexByKey.get(key) != ABSENT;
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

    /** Keys with a row. */
    int keyCount()
    {
        return count;
    }

    /** The {@code index}-th key with a row (0 ≤ index < {@link #keyCount()}); folding moves the last into a gap. */
    long keyAt(final int index)
    {
        return keys[index];
    }

    /** Checkpoint layout: count (int), (key, clock) longs, then the floor (long). Not for the hot path. */
    int snapshot(final MutableDirectBuffer out, final int offset)
    {
        out.putInt(offset, count);
        int position = offset + Integer.BYTES;
        for (int i = 0; i < count; i++)
        {
            out.putLong(position, keys[i]);
            out.putLong(position + Long.BYTES, values[i]);
            position += 2 * Long.BYTES;
        }
        out.putLong(position, floor);
        position += Long.BYTES;
        return position - offset;
    }

    int restore(final DirectBuffer in, final int offset, final int length)
    {
        final int rows = length < Integer.BYTES ? -1 : in.getInt(offset);
        final long size = Integer.BYTES + rows * 2L * Long.BYTES + Long.BYTES;
        if (rows < 0 || size > length)
        {
            throw new IllegalArgumentException("Tempo checkpoint state is corrupt: " + rows + " key clocks");
        }
        int position = offset + Integer.BYTES;
        for (int i = 0; i < rows; i++)
        {
            raise(in.getLong(position), in.getLong(position + Long.BYTES));
            position += 2 * Long.BYTES;
        }
        final long restoredFloor = in.getLong(position);
        if (restoredFloor < 0)
        {
            throw new IllegalArgumentException("Tempo checkpoint state is corrupt: key clock floor " + restoredFloor);
        }
        floor = Math.max(floor, restoredFloor);
        highest = Math.max(highest, floor);
        return (int)size;
    }
}
