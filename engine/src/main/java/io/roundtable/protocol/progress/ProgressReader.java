package io.roundtable.protocol.progress;

import io.roundtable.codecs.ProgressDecoder;
import io.roundtable.protocol.Dot;
import io.roundtable.protocol.MalformedMessageException;
import org.agrona.DirectBuffer;

/**
 * Decodes a Progress message for a protocol's adapter, one preallocated flyweight per adapter. The message is checked
 * whole before any entry is delivered: it reports on its sender, has at most one entry per replica, every origin is a
 * replica and every prefix an instance number, and its group ends within the fragment. A bad message throws
 * {@link MalformedMessageException} (or Agrona's bounds check throws), which the adapter counts and drops.
 */
public final class ProgressReader
{
    private final ProgressDecoder progress = new ProgressDecoder();
    private final int replicaCount;

    public ProgressReader(final int replicaCount)
    {
        this.replicaCount = replicaCount;
    }

    public void read(
        final int from, final DirectBuffer view, final int body, final int blockLength, final int version,
        final int length, final ProgressHandler handler)
    {
        progress.wrap(view, body, blockLength, version);
        ProgressDecoder.ExecutedDecoder executed = progress.executed();
        if (progress.replica() != from || executed.count() > replicaCount)
        {
            throw MalformedMessageException.INSTANCE;
        }
        while (executed.hasNext())
        {
            executed.next();
            final int origin = executed.originReplica();
            final long instance = executed.instance();
            if (origin < 0 || origin >= replicaCount || instance < 0 || instance > Dot.MAX_INSTANCE)
            {
                throw MalformedMessageException.INSTANCE;
            }
        }
        MalformedMessageException.requireWithin(progress.limit(), length);

        progress.wrap(view, body, blockLength, version);
        executed = progress.executed();
        while (executed.hasNext())
        {
            executed.next();
            handler.onProgress(from, executed.originReplica(), executed.instance());
        }
    }
}
