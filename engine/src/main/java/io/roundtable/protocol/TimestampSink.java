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

    /**
     * The core forgot {@code key}'s promises (no command on it is pending anywhere it knows of): the executor may
     * forget its stable frontier too, which then grows again from the promises learnt afresh. Ignoring this is safe:
     * a stable frontier kept is still true, it only costs memory.
     */
    default void onKeyForgotten(final long key)
    {
    }
}
