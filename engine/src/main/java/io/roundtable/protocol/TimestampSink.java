package io.roundtable.protocol;

import io.roundtable.command.KeySet;

/**
 * Tempo's feed into its executor (there is no dependency graph): a commit says a command's timestamp, and stability,
 * which the core derives from promises (protocol messages), arrives separately per key. The executor runs a command
 * once it is stable on all its keys and first in (timestamp, dot) order on each.
 */
public interface TimestampSink
{
    /** {@code dot} committed at {@code timestamp} on {@code keys} (empty for a no-op). {@code keys} is reused. */
    void onCommit(long dot, long timestamp, KeySet keys);

    /** Every command on {@code key} with a timestamp at most {@code stableUpTo} is committed here. */
    void onStable(long key, long stableUpTo);
}
