package io.roundtable.protocol.dependency;

import org.agrona.collections.LongArrayList;

/** What the {@link DependencyReplica} tells a protocol's recovery: ticks, missing dependencies, decisions. */
public interface DependencyRecovery
{
    /**
     * Starts recoveries that fell due and drops attempts that timed out.
     *
     * @param undecided instances voted on here and not yet known decided (recovery prunes decided ones).
     */
    void onTick(long nowNs, LongArrayList undecided);

    /** The executor waits on {@code dot}, which is neither decided nor collected here: recover it in time. */
    void onMissing(long dot, long nowNs);

    /** {@code dot} was decided (or collected) here: whatever recovered or waited for it is over. */
    void onDecided(long dot);
}
