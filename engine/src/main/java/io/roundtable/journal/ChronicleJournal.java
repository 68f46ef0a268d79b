package io.roundtable.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The durable journal of one replica: a Chronicle Queue in its own directory, one excerpt (document) per record.
 * Mirrors {@link InMemoryJournal}'s API ({@link #append}, {@link #replay}, {@link #recordCount}, {@link #bytes}).
 *
 * <p>Record format: each excerpt holds a 4-byte little-endian length followed by the record's bytes. The explicit
 * length lets empty records be stored (a Chronicle document of zero length is indistinguishable from "not written
 * yet") and is checked on replay.
 *
 * <p>Threading: {@link #append} and {@link #flush} must be called from one thread (the replica's duty cycle); the
 * appender is created lazily on the first append, so it belongs to that thread. {@link #replay} is called before
 * the duty cycle starts (it uses its own tailer). Allocation-free per append once warm.
 *
 * <p>Durability, see {@link FlushPolicy}. Chronicle writes through a memory-mapped file, so a completed append is
 * in the OS page cache as soon as {@link #append} returns and survives {@code kill -9} of the process whatever the
 * policy; only power loss / kernel crash needs {@link FlushPolicy#PER_BATCH}.
 */
public final class ChronicleJournal implements Journal
{
    /** When appended records are forced from the page cache to the storage device. */
    public enum FlushPolicy
    {
        /**
         * Never msync: rely on the OS page cache. Survives {@code kill -9} (and any other death of the JVM process)
         * because the mapped pages belong to the kernel; records may be lost on power loss or a kernel crash.
         * {@link #flush()} is a no-op.
         */
        NONE,
        /**
         * The queue is opened with {@link SyncMode#SYNC}; {@link #flush()} (called by the runtime once per duty
         * cycle, after appending and before sending) calls Chronicle's {@code ExcerptAppender.sync()}, which runs
         * {@code msync(MS_SYNC)} over the currently mapped chunk of the current cycle file up to the write position
         * and blocks until the kernel reports those pages written. See {@link #flush()} for what it does not cover.
         */
        PER_BATCH
    }

    private static final int LENGTH_PREFIX = 4;

    private final Path directory;
    private final FlushPolicy flushPolicy;
    private final SingleChronicleQueue queue;
    private final ExpandableArrayBuffer replayBuffer = new ExpandableArrayBuffer(4096);
    private ExcerptAppender appender;
    private long recordCount;
    private long bytes;
    private boolean dirty;
    private boolean closed;

    /** Opens (creating if needed) the journal in {@code directory} with the daily roll cycle. */
    public ChronicleJournal(final Path directory, final FlushPolicy flushPolicy)
    {
        this(directory, flushPolicy, RollCycles.FAST_DAILY);
    }

    public ChronicleJournal(final Path directory, final FlushPolicy flushPolicy, final RollCycle rollCycle)
    {
        if (directory == null || flushPolicy == null || rollCycle == null)
        {
            throw new NullPointerException("directory, flushPolicy and rollCycle are required");
        }
        this.directory = directory.toAbsolutePath();
        this.flushPolicy = flushPolicy;
        requireWritableDirectory(this.directory);
        try
        {
            this.queue = SingleChronicleQueueBuilder.binary(this.directory)
                .rollCycle(rollCycle)
                .syncMode(flushPolicy == FlushPolicy.PER_BATCH ? SyncMode.SYNC : SyncMode.NONE)
                .build();
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalStateException("cannot open the Chronicle Queue journal in " + this.directory + ": " +
                ex + ". Check the directory is writable, on a local file system that supports memory mapping, " +
                "not used by another replica, and that the JVM runs with the flags in DESIGN.md " +
                "(roundtable.jvm.flags: --add-opens/--add-exports for Chronicle on Java 17)", ex);
        }
        countExisting();
    }

    private static void requireWritableDirectory(final Path directory)
    {
        if (Files.exists(directory) && !Files.isDirectory(directory))
        {
            throw new IllegalStateException("journal path " + directory + " exists but is not a directory: " +
                "remove it or choose another journal directory");
        }
        try
        {
            Files.createDirectories(directory);
        }
        catch (final IOException | SecurityException ex)
        {
            throw new IllegalStateException("cannot create journal directory " + directory + " (" + ex + "): " +
                "create it yourself, or make its parent writable by user " + System.getProperty("user.name") +
                ", or choose another journal directory", ex);
        }
        if (!Files.isWritable(directory))
        {
            throw new IllegalStateException("journal directory " + directory + " is not writable by user " +
                System.getProperty("user.name") + ": fix its permissions (e.g. chmod u+w " + directory +
                ") or choose another journal directory");
        }
    }

    private void countExisting()
    {
        try (ExcerptTailer tailer = queue.createTailer())
        {
            tailer.toStart();
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    final Bytes<?> in = dc.wire().bytes();
                    final int length = checkedLength(in, recordCount);
                    in.readSkip(length);
                    recordCount++;
                    bytes += length;
                }
            }
        }
    }

    /** Appends one record: once this returns it survives {@code kill -9}; see {@link FlushPolicy} for power loss. */
    public void append(final DirectBuffer buffer, final int offset, final int length)
    {
        if (closed)
        {
            throw new IllegalStateException("journal " + directory + " is closed");
        }
        if (length < 0 || offset < 0 || offset + length > buffer.capacity())
        {
            throw new IndexOutOfBoundsException("record [" + offset + ", " + offset + "+" + length +
                ") outside buffer of capacity " + buffer.capacity());
        }
        ExcerptAppender appender = this.appender;
        if (appender == null)
        {
            appender = this.appender = queue.createAppender();
        }
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> out = dc.wire().bytes();
            out.writeInt(length);
            final byte[] array = buffer.byteArray();
            if (array != null)
            {
                out.write(array, buffer.wrapAdjustment() + offset, length);
            }
            else
            {
                out.unsafeWrite(buffer.addressOffset() + offset, length);
            }
        }
        recordCount++;
        bytes += length;
        dirty = true;
    }

    /**
     * Makes the records appended since the last flush durable per the {@link FlushPolicy}. NONE: does nothing.
     * PER_BATCH: if anything was appended since the last flush, {@code ExcerptAppender.sync()} msyncs (MS_SYNC) the
     * current mapped chunk of the current cycle file up to the write position. Not covered: earlier chunks and
     * earlier cycle files (Chronicle msyncs a chunk with the same mode when it releases it, which happens as the
     * appender moves on, not necessarily before this call returns), the queue's metadata file ({@code
     * metadata.cq4t}, which Chronicle can rebuild), and the directory entry of a newly created cycle file (no fsync
     * of the directory). A batch never spans a chunk in practice (chunks are tens of MiB), but the directory entry of
     * a cycle file created just before a power loss is not guaranteed.
     */
    public void flush()
    {
        if (flushPolicy == FlushPolicy.PER_BATCH && dirty && appender != null)
        {
            appender.sync();
        }
        dirty = false;
    }

    /**
     * Reads every record from the start, in append order (what a restarted replica calls before any other input).
     * The buffer handed to the handler is reused: copy what you keep.
     */
    public void replay(final RecordHandler handler)
    {
        if (closed)
        {
            throw new IllegalStateException("journal " + directory + " is closed");
        }
        long index = 0;
        try (ExcerptTailer tailer = queue.createTailer())
        {
            tailer.toStart();
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    final Bytes<?> in = dc.wire().bytes();
                    final int length = checkedLength(in, index);
                    replayBuffer.checkLimit(length);
                    in.read(replayBuffer.byteArray(), 0, length);
                    handler.onRecord(replayBuffer, 0, length);
                    index++;
                }
            }
        }
    }

    private int checkedLength(final Bytes<?> in, final long index)
    {
        final long remaining = in.readRemaining();
        if (remaining < LENGTH_PREFIX)
        {
            throw new IllegalStateException("journal " + directory + " record " + index + " is corrupt: " + remaining +
                " bytes, shorter than its length prefix");
        }
        final int length = in.readInt();
        if (length < 0 || length != remaining - LENGTH_PREFIX)
        {
            throw new IllegalStateException("journal " + directory + " record " + index + " is corrupt: length " +
                "prefix " + length + " but " + (remaining - LENGTH_PREFIX) + " bytes follow");
        }
        return length;
    }

    /** Not yet: checkpoint records replay as ordinary ones and nothing is released. */
    public void beginCheckpoint()
    {
    }

    public void endCheckpoint()
    {
    }

    public boolean flushBeforeSend()
    {
        return flushPolicy == FlushPolicy.PER_BATCH;
    }

    public int recordCount()
    {
        return (int)Math.min(Integer.MAX_VALUE, recordCount);
    }

    /** Total bytes of records appended (prefixes and Chronicle headers excluded). */
    public long bytes()
    {
        return bytes;
    }

    public Path directory()
    {
        return directory;
    }

    public FlushPolicy flushPolicy()
    {
        return flushPolicy;
    }

    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            if (appender != null)
            {
                appender.close();
            }
        }
        finally
        {
            queue.close();
        }
    }
}
