package io.roundtable.journal;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.util.Arrays;

/**
 * A journal held in memory: the records since the last completed checkpoint, back to back in one expandable buffer.
 * Used by the simulator (where "durable" means surviving a simulated crash of the replica object) and by tests; the
 * Chronicle Queue journal replaces it in the runtime.
 *
 * <p>Checkpoints need no marker here: a simulated crash loses the replica's objects but never interrupts a call on
 * this journal, so {@link #endCheckpoint()} simply drops the records before the checkpoint and moves the rest to the
 * front of the buffer. Memory therefore follows what is held since the last checkpoint, not the length of the run.
 */
public final class InMemoryJournal implements Journal
{
    private static final int INITIAL_CAPACITY = 64 * 1024;
    /** A buffer this many times larger than what it holds after a release is replaced by a smaller one. */
    private static final int SHRINK_FACTOR = 4;
    private static final int NO_CHECKPOINT = -1;

    private ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(INITIAL_CAPACITY);
    private int[] lengths = new int[0];
    private int held;
    private int limit;
    private int checkpointStart = NO_CHECKPOINT;
    private long released;
    private long appendedBytes;

    public void append(final DirectBuffer source, final int offset, final int length)
    {
        buffer.putBytes(limit, source, offset, length);
        if (held == lengths.length)
        {
            lengths = Arrays.copyOf(lengths, Math.max(1024, held * 2));
        }
        lengths[held++] = length;
        limit += length;
        appendedBytes += length;
    }

    /** Every record ever appended, including those released since: only grows, so "it increased" means "appended". */
    public int recordCount()
    {
        return (int)Math.min(Integer.MAX_VALUE, released + held);
    }

    /** Bytes of every record ever appended, including released ones. */
    public long bytes()
    {
        return appendedBytes;
    }

    /** Records held now: those {@link #replay} hands out. */
    public int heldRecords()
    {
        return held;
    }

    /** Bytes of the records held now. */
    public int heldBytes()
    {
        return limit;
    }

    /** Capacity of the buffer holding the records: bounded by what is held since the last checkpoint, not by time. */
    public int capacity()
    {
        return buffer.capacity();
    }

    public void replay(final RecordHandler handler)
    {
        int offset = 0;
        for (int i = 0; i < held; i++)
        {
            final int length = lengths[i];
            handler.onRecord(buffer, offset, length);
            offset += length;
        }
    }

    public void beginCheckpoint()
    {
        checkpointStart = held;
    }

    public void endCheckpoint()
    {
        final int start = checkpointStart;
        if (start == NO_CHECKPOINT)
        {
            throw new IllegalStateException("endCheckpoint() without beginCheckpoint()");
        }
        if (start == held)
        {
            throw new IllegalStateException("endCheckpoint() with no record appended since beginCheckpoint()");
        }
        checkpointStart = NO_CHECKPOINT;
        int dropped = 0;
        for (int i = 0; i < start; i++)
        {
            dropped += lengths[i];
        }
        final int keep = limit - dropped;
        if (buffer.capacity() > SHRINK_FACTOR * Math.max(INITIAL_CAPACITY, keep))
        {
            final ExpandableArrayBuffer smaller = new ExpandableArrayBuffer(Math.max(INITIAL_CAPACITY, 2 * keep));
            smaller.putBytes(0, buffer, dropped, keep);
            buffer = smaller;
        }
        else
        {
            final byte[] array = buffer.byteArray();
            System.arraycopy(array, dropped, array, 0, keep); // overlapping move to the front: arraycopy handles it
        }
        System.arraycopy(lengths, start, lengths, 0, held - start);
        held -= start;
        limit = keep;
        released += start;
        if (lengths.length > SHRINK_FACTOR * Math.max(1024, held))
        {
            lengths = Arrays.copyOf(lengths, Math.max(1024, 2 * held));
        }
    }

    public long releasedRecords()
    {
        return released;
    }

    /** Nothing to do: memory is as durable as this journal gets. */
    public void flush()
    {
    }

    public void close()
    {
    }
}
