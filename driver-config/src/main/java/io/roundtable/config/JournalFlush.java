package io.roundtable.config;

import java.util.Locale;

/**
 * When a replica forces its journal from the OS page cache to the storage device. It mirrors the engine's
 * {@code ChronicleJournal.FlushPolicy} by name; this module does not depend on the engine, so the engine maps one to
 * the other.
 */
public enum JournalFlush
{
    /**
     * Never force: a completed append survives the death of the replica's process (the mapped pages belong to the
     * kernel) but may be lost on power loss or a kernel crash. The default, because forcing costs a disk round trip
     * per batch.
     */
    NONE,

    /**
     * Force once per batch, after appending and before sending the votes or replies that depend on it: survives power
     * loss, at the cost of the device's flush latency on every batch.
     */
    PER_BATCH;

    /** The name used in topology files: {@code none} or {@code per-batch}. */
    public String configName()
    {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Parses a name as written in a topology file, ignoring case and accepting '_' for '-'.
     *
     * @throws TopologyException naming the valid choices if {@code name} is not one of them.
     */
    public static JournalFlush fromName(final String name)
    {
        if (null != name)
        {
            final String normalised = name.trim().replace('-', '_').toUpperCase(Locale.ROOT);
            for (final JournalFlush flush : values())
            {
                if (flush.name().equals(normalised))
                {
                    return flush;
                }
            }
        }

        throw new TopologyException(
            "unknown journal flush '" + name + "': use one of " + NONE.configName() + ", " + PER_BATCH.configName());
    }
}
