package io.roundtable.journal;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;

/**
 * Deletes the cycle files of a {@link ChronicleJournal}'s queue that a completed checkpoint released. Failures are
 * counted, never thrown nor logged: this runs on the duty cycle, a file that cannot be deleted now is only disk
 * space, and the next checkpoint tries it again (it deletes every cycle below its own start, not just new ones).
 */
final class ChronicleCycleFiles
{
    private final SingleChronicleQueue queue;
    private int deleted;
    private int failures;

    ChronicleCycleFiles(final SingleChronicleQueue queue)
    {
        this.queue = queue;
    }

    /**
     * Deletes the file of every cycle strictly below {@code firstKeptCycle}. The caller guarantees no appender writes
     * and no tailer reads those cycles: the appender is at or past the checkpoint's cycle and tailers are closed after
     * each replay.
     */
    void deleteBelow(final int firstKeptCycle)
    {
        try
        {
            queue.refreshDirectoryListing(); // firstCycle() is cached: see the files as they are now
            final int firstCycle = queue.firstCycle();
            if (firstCycle >= firstKeptCycle)
            {
                return;
            }
            for (final Long cycle : queue.listCyclesBetween(firstCycle, firstKeptCycle - 1))
            {
                delete(cycle.intValue());
            }
            queue.refreshDirectoryListing(); // so tailers start at the first cycle left
        }
        catch (final RuntimeException ex)
        {
            failures++;
        }
    }

    private void delete(final int cycle)
    {
        // The store maps the cycle's file, which gives its name as Chronicle formats it for this roll cycle and epoch;
        // closing it before the delete lets the mapping go (deleting a still mapped file is fine on Linux anyway).
        final File file;
        try
        {
            final SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
            if (store == null)
            {
                return; // already gone
            }
            file = store.file();
            queue.closeStore(store);
        }
        catch (final RuntimeException ex)
        {
            failures++;
            return;
        }
        try
        {
            if (Files.deleteIfExists(file.toPath()))
            {
                deleted++;
            }
        }
        catch (final IOException | SecurityException ex)
        {
            failures++;
        }
    }

    /** Cycle files deleted so far. */
    int deleted()
    {
        return deleted;
    }

    /** Attempts that failed so far (the file was kept; a later checkpoint tries again). */
    int failures()
    {
        return failures;
    }
}
