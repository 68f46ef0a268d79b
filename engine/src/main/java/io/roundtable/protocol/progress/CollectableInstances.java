package io.roundtable.protocol.progress;

/**
 * What {@link ProgressCollector} needs from one protocol's instance store: the small per-protocol part of execution
 * progress. Implemented once per protocol core by a long-lived object, so calling it allocates nothing.
 */
public interface CollectableInstances
{
    /** @return true if {@code dot} is held here and has executed (a forgotten dot is never asked about). */
    boolean isExecuted(long dot);

    /** Sends {@code peer} the decision of {@code dot} if this replica holds it decided; otherwise does nothing. */
    void resendDecision(int peer, long dot);

    /** {@code dot} has executed at every replica: release what is held for it (it may not be held at all). */
    void forget(long dot);

    /** Broadcasts this replica's executed prefix per origin in a Progress message. */
    void publishProgress(long[] executedUpTo);
}
