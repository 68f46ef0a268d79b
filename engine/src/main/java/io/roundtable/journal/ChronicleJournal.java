package io.roundtable.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.TailerDirection;
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
 * <p>Checkpoints: {@link #endCheckpoint()} appends a marker excerpt, length prefix {@value #MARKER} followed by the
 * 8-byte Chronicle index of the checkpoint's first record, then deletes every cycle file wholly before that record.
 * On open the journal scans backward from the end to the last marker (so it reads only what it will replay) and
 * replays from the index the marker names; without a marker (a journal written before checkpoints existed, or one
 * that never completed a checkpoint) it replays from the start. Markers are never handed to a replay handler. The
 * marker is appended, and with {@link FlushPolicy#PER_BATCH} msynced, before any file is deleted, so a crash at any
 * point leaves either the old checkpoint with every file it needs or the new one.
 *
 * <p>Roll cycle: a checkpoint can only delete whole cycle files older than its first record, so the cycle bounds how
 * much stays on disk beyond the checkpoint. The default, {@link RollCycles#FAST_HOURLY}, keeps at most about an hour
 * of records before the last checkpoint; it has the same 2^32 records per cycle and index layout as the daily cycle it
 * replaces (shorter Chronicle cycles such as {@code TEN_MINUTELY} drop to 2^30 per cycle, a ceiling of about 1.8 M
 * records per second), and a file roll an hour costs nothing measurable. An existing queue keeps the cycle it was
 * created with: Chronicle reads it from the queue's metadata (and logs a warning when it differs from the one asked).
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
    /** Length prefix of a checkpoint marker; records have a length >= 0. */
    static final int MARKER = -1;
    private static final int MARKER_BODY = 8;
    /** {@link #replayStart} when replay starts at the first excerpt of the queue. */
    private static final long FROM_START = -1;
    /** {@link #checkpointFirst} when no checkpoint is begun. */
    private static final long NOT_BEGUN = -2;
    /** {@link #checkpointFirst} when a checkpoint is begun but nothing was appended since. */
    private static final long AWAITING_FIRST = -1;

    private final Path directory;
    private final FlushPolicy flushPolicy;
    private final SingleChronicleQueue queue;
    private final ExpandableArrayBuffer replayBuffer = new ExpandableArrayBuffer(4096);
    private final ChronicleCycleFiles cycleFiles;
    private ExcerptAppender appender;
    private long recordCount;
    private long bytes;
    private long replayStart = FROM_START;
    private long checkpointFirst = NOT_BEGUN;
    /** {@link #recordCount} when the first record of the replay window / of the begun checkpoint was counted. */
    private long replayStartOrdinal;
    private long checkpointFirstOrdinal;
    private long releasedRecords;
    private boolean dirty;
    private boolean closed;

    /** Opens (creating if needed) the journal in {@code directory} with the hourly roll cycle (see the class doc). */
    public ChronicleJournal(final Path directory, final FlushPolicy flushPolicy)
    {
        this(directory, flushPolicy, RollCycles.FAST_HOURLY);
    }

    /** As {@link #ChronicleJournal(Path, FlushPolicy)} with the roll cycle of a new queue. */
    public ChronicleJournal(final Path directory, final FlushPolicy flushPolicy, final RollCycle rollCycle)
    {
        this(directory, flushPolicy, rollCycle, SystemTimeProvider.INSTANCE);
    }

    /** With the clock that decides when a cycle rolls: lets tests roll cycles without waiting for them. */
    ChronicleJournal(
        final Path directory, final FlushPolicy flushPolicy, final RollCycle rollCycle, final TimeProvider clock)
    {
        if (directory == null || flushPolicy == null || rollCycle == null || clock == null)
        {
            throw new NullPointerException("directory, flushPolicy, rollCycle and clock are required");
        }
        this.directory = directory.toAbsolutePath();
        this.flushPolicy = flushPolicy;
        requireWritableDirectory(this.directory);
        try
        {
            this.queue = SingleChronicleQueueBuilder.binary(this.directory)
                .rollCycle(rollCycle)
                .syncMode(flushPolicy == FlushPolicy.PER_BATCH ? SyncMode.SYNC : SyncMode.NONE)
                .timeProvider(clock)
                .build();
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalStateException("cannot open the Chronicle Queue journal in " + this.directory + ": " +
                ex + ". Check the directory is writable, on a local file system that supports memory mapping, " +
                "not used by another replica, and that the JVM runs with the flags in DESIGN.md " +
                "(roundtable.jvm.flags: --add-opens/--add-exports for Chronicle on Java 17)", ex);
        }
        this.cycleFiles = new ChronicleCycleFiles(queue);
        try
        {
            replayStart = findLastCheckpoint();
            countExisting();
        }
        catch (final RuntimeException ex)
        {
            queue.close();
            throw ex;
        }
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

    /**
     * The index of the first record of the last completed checkpoint, or {@link #FROM_START}. Reads backward from the
     * end and stops at the first marker, so it reads no more than the replay after it will.
     */
    private long findLastCheckpoint()
    {
        try (ExcerptTailer tailer = queue.createTailer())
        {
            tailer.direction(TailerDirection.BACKWARD).toEnd();
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        return FROM_START;
                    }
                    final Bytes<?> in = dc.wire().bytes();
                    if (checkedLength(in, dc.index()) == MARKER)
                    {
                        final long first = in.readLong();
                        if (first < 0 || first >= dc.index())
                        {
                            throw new IllegalStateException("journal " + directory + " checkpoint marker at index " +
                                Long.toHexString(dc.index()) + " is corrupt: it names index " +
                                Long.toHexString(first) + " as the checkpoint's first record, which is not before it");
                        }
                        return first;
                    }
                }
            }
        }
    }

    /** A forward tailer at the first excerpt to replay. */
    private ExcerptTailer replayTailer()
    {
        final ExcerptTailer tailer = queue.createTailer();
        if (replayStart == FROM_START)
        {
            tailer.toStart();
        }
        else if (!tailer.moveToIndex(replayStart))
        {
            tailer.close();
            throw new IllegalStateException("journal " + directory + " is missing the first record of its last " +
                "checkpoint (index " + Long.toHexString(replayStart) + "): its cycle file was deleted or damaged, " +
                "so the replica cannot rebuild its state from this journal");
        }
        return tailer;
    }

    private void countExisting()
    {
        try (ExcerptTailer tailer = replayTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    final Bytes<?> in = dc.wire().bytes();
                    final int length = checkedLength(in, dc.index());
                    if (length != MARKER)
                    {
                        in.readSkip(length);
                        recordCount++;
                        bytes += length;
                    }
                }
            }
        }
    }

    /** Appends one record: once this returns it survives {@code kill -9}; see {@link FlushPolicy} for power loss. */
    public void append(final DirectBuffer buffer, final int offset, final int length)
    {
        requireOpen();
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
        if (checkpointFirst == AWAITING_FIRST)
        {
            checkpointFirst = appender.lastIndexAppended();
            checkpointFirstOrdinal = recordCount;
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
     * Reads every record from the first record of the last completed checkpoint (from the start if none), in append
     * order, skipping checkpoint markers; what a restarted replica calls before any other input. The buffer handed
     * to the handler is reused: copy what you keep.
     */
    public void replay(final RecordHandler handler)
    {
        requireOpen();
        try (ExcerptTailer tailer = replayTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    final Bytes<?> in = dc.wire().bytes();
                    final int length = checkedLength(in, dc.index());
                    if (length != MARKER)
                    {
                        replayBuffer.checkLimit(length);
                        in.read(replayBuffer.byteArray(), 0, length);
                        handler.onRecord(replayBuffer, 0, length);
                    }
                }
            }
        }
    }

    /** The record's length after its prefix (the body follows), or {@link #MARKER} for a well-formed marker. */
    private int checkedLength(final Bytes<?> in, final long index)
    {
        final long remaining = in.readRemaining();
        if (remaining < LENGTH_PREFIX)
        {
            throw corrupt(index, remaining + " bytes, shorter than its length prefix");
        }
        final int length = in.readInt();
        if (length == MARKER)
        {
            if (remaining - LENGTH_PREFIX != MARKER_BODY)
            {
                throw corrupt(index, "checkpoint marker with " + (remaining - LENGTH_PREFIX) + " bytes after its " +
                    "prefix, expected " + MARKER_BODY);
            }
            return MARKER;
        }
        if (length < 0 || length != remaining - LENGTH_PREFIX)
        {
            throw corrupt(index, "length prefix " + length + " but " + (remaining - LENGTH_PREFIX) + " bytes follow");
        }
        return length;
    }

    private IllegalStateException corrupt(final long index, final String why)
    {
        return new IllegalStateException("journal " + directory + " excerpt at index " + Long.toHexString(index) +
            " (cycle " + queue.rollCycle().toCycle(index) + ") is corrupt: " + why);
    }

    public void beginCheckpoint()
    {
        requireOpen();
        checkpointFirst = AWAITING_FIRST;
    }

    /**
     * Appends the marker of the begun checkpoint (and with {@link FlushPolicy#PER_BATCH} msyncs it, as {@link
     * #flush()} would), makes replay start at the checkpoint's first record, then deletes the cycle files wholly
     * before that record. A file that cannot be deleted is kept and counted in {@link #cycleFileDeleteFailures()};
     * the next checkpoint tries it again. Allocates a little (the directory listing), so call it now and then, not
     * per record.
     */
    public void endCheckpoint()
    {
        requireOpen();
        final long first = checkpointFirst;
        if (first == NOT_BEGUN)
        {
            throw new IllegalStateException("endCheckpoint() without beginCheckpoint() on journal " + directory);
        }
        if (first == AWAITING_FIRST)
        {
            throw new IllegalStateException("endCheckpoint() with no record appended since beginCheckpoint() on " +
                "journal " + directory);
        }
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> out = dc.wire().bytes();
            out.writeInt(MARKER);
            out.writeLong(first);
        }
        if (flushPolicy == FlushPolicy.PER_BATCH)
        {
            appender.sync();
            dirty = false;
        }
        checkpointFirst = NOT_BEGUN;
        replayStart = first;
        releasedRecords += checkpointFirstOrdinal - replayStartOrdinal;
        replayStartOrdinal = checkpointFirstOrdinal;
        final RollCycle rollCycle = queue.rollCycle();
        // the marker is the appender's last excerpt: its cycle is the one being written, never below the first kept
        cycleFiles.deleteBelow(Math.min(rollCycle.toCycle(first), rollCycle.toCycle(appender.lastIndexAppended())));
    }

    /** Records no longer replayed because a checkpoint of this instance released them. */
    public long releasedRecords()
    {
        return releasedRecords;
    }

    /** Cycle files deleted by checkpoints of this instance. */
    public int cycleFilesDeleted()
    {
        return cycleFiles.deleted();
    }

    /** Failed attempts to delete a released cycle file (kept on disk; a later checkpoint tries again). */
    public int cycleFileDeleteFailures()
    {
        return cycleFiles.failures();
    }

    /** Whether replay starts at a completed checkpoint rather than at the first record ever appended. */
    public boolean replaysFromCheckpoint()
    {
        return replayStart != FROM_START;
    }

    private void requireOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("journal " + directory + " is closed");
        }
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
