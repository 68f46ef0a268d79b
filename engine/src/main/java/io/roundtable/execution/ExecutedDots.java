package io.roundtable.execution;

import io.roundtable.protocol.Dot;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.LongHashSet;

/**
 * What has executed here, per origin replica: a contiguous watermark plus the executed instances above it. Instances of
 * an origin execute nearly in order, so the set above the watermark stays small and memory stays flat over a long run.
 * Also the checkpoint form of the executed set (the same layout {@link GraphExecutor} writes).
 */
final class ExecutedDots
{
    private final long[] watermarks;
    private final LongHashSet above = new LongHashSet();

    ExecutedDots(final int replicaCount)
    {
        watermarks = new long[replicaCount];
    }

    int replicaCount()
    {
        return watermarks.length;
    }

    void checkReplica(final long dot)
    {
        if (Dot.replica(dot) >= watermarks.length || Dot.instance(dot) == 0)
        {
            throw new IllegalArgumentException("dot outside " + watermarks.length + " replicas: " + Dot.toString(dot));
        }
    }

    boolean contains(final long dot)
    {
        return Dot.instance(dot) <= watermarks[Dot.replica(dot)] || above.contains(dot);
    }

    void add(final long dot)
    {
        final int origin = Dot.replica(dot);
        long upTo = watermarks[origin];
        if (Dot.instance(dot) <= upTo)
        {
            return;
        }
        if (Dot.instance(dot) != upTo + 1)
        {
            above.add(dot);
            return;
        }
        upTo++;
        while (above.remove(Dot.of(origin, upTo + 1)))
        {
            upTo++;
        }
        watermarks[origin] = upTo;
    }

    long watermark(final int origin)
    {
        return watermarks[origin];
    }

    boolean isEmpty()
    {
        for (final long watermark : watermarks)
        {
            if (watermark != 0)
            {
                return false;
            }
        }
        return above.isEmpty();
    }

    /** Layout (little-endian): replica count (int), watermarks (long each), count (int), dots above (long each). */
    int snapshot(final MutableDirectBuffer out, final int offset)
    {
        out.putInt(offset, watermarks.length);
        int position = offset + Integer.BYTES;
        for (final long watermark : watermarks)
        {
            out.putLong(position, watermark);
            position += Long.BYTES;
        }
        out.putInt(position, above.size());
        position += Integer.BYTES;
        final LongHashSet.LongIterator dots = above.iterator();
        while (dots.hasNext())
        {
            out.putLong(position, dots.nextValue());
            position += Long.BYTES;
        }
        return position - offset;
    }

    void restore(final DirectBuffer in, final int offset, final int length)
    {
        final int end = offset + length;
        if (length < Integer.BYTES || in.getInt(offset) != watermarks.length)
        {
            throw new IllegalArgumentException("executed-set snapshot is not for " + watermarks.length + " replicas");
        }
        int position = offset + Integer.BYTES;
        if (position + watermarks.length * Long.BYTES + Integer.BYTES > end)
        {
            throw new IllegalArgumentException("executed-set snapshot is corrupt: too short");
        }
        for (int origin = 0; origin < watermarks.length; origin++)
        {
            final long watermark = in.getLong(position);
            if (watermark < 0 || watermark > Dot.MAX_INSTANCE)
            {
                throw new IllegalArgumentException("executed-set snapshot is corrupt: watermark " + watermark);
            }
            watermarks[origin] = watermark;
            position += Long.BYTES;
        }
        final int count = in.getInt(position);
        position += Integer.BYTES;
        if (count < 0 || position + (long)count * Long.BYTES != end)
        {
            throw new IllegalArgumentException("executed-set snapshot is corrupt: " + count + " dots do not fill " +
                (end - position) + " bytes");
        }
        above.clear();
        for (int i = 0; i < count; i++)
        {
            final long dot = in.getLong(position);
            checkReplica(dot);
            above.add(dot);
            position += Long.BYTES;
        }
    }
}
