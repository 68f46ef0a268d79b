package io.roundtable.journal;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.IntArrayList;

/**
 * A journal held in memory: records appended back to back in one expandable buffer. Used by the simulator (where
 * "durable" means surviving a simulated crash of the replica object) and by tests; the Chronicle Queue journal
 * replaces it in the runtime.
 */
public final class InMemoryJournal implements Journal
{
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64 * 1024);
    private final IntArrayList offsets = new IntArrayList();
    private final IntArrayList lengths = new IntArrayList();
    private int limit;

    public void append(final DirectBuffer source, final int offset, final int length)
    {
        buffer.putBytes(limit, source, offset, length);
        offsets.addInt(limit);
        lengths.addInt(length);
        limit += length;
    }

    private int checkpointStart = -1;
    private int replayStart;

    public void beginCheckpoint()
    {
        checkpointStart = offsets.size();
    }

    public void endCheckpoint()
    {
        replayStart = checkpointStart;
    }

    public int recordCount()
    {
        return offsets.size();
    }

    public long bytes()
    {
        return limit;
    }

    public void replay(final RecordHandler handler)
    {
        for (int i = replayStart, n = offsets.size(); i < n; i++)
        {
            handler.onRecord(buffer, offsets.getInt(i), lengths.getInt(i));
        }
    }

    /** Nothing to do: memory is as durable as this journal gets. */
    public void flush()
    {
    }

    public void close()
    {
    }

    public MutableDirectBuffer buffer()
    {
        return buffer;
    }
}
