package io.roundtable.protocol.dependency;

import io.roundtable.conflict.ConflictIndex;
import io.roundtable.protocol.Dot;
import io.roundtable.protocol.InstanceSlots;
import io.roundtable.protocol.ProtocolCounters;
import io.roundtable.protocol.progress.CollectableInstances;
import io.roundtable.protocol.progress.ProgressCollector;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.LongConsumer;

/**
 * The dependency protocols' side of {@link ProgressCollector} (Progress broadcast, garbage collection, catch-up):
 * an instance is executed once its status says so, a lagging peer is resent the Commit, and forgetting an instance
 * also drops it from the conflict index (pitfall 9) and tells the recovery it has nothing left to do.
 */
public final class DependencyCollector implements CollectableInstances
{
    private final int self;
    private final DependencyInstances instances;
    private final ConflictIndex conflicts;
    private final DependencyPublisher publisher;
    private final LongConsumer onCollected;
    private final UnsafeBuffer commandsView = new UnsafeBuffer(0, 0);
    private final ProgressCollector progress;

    /**
     * @param onCollected told each dot forgotten here (a recovery scheduled for it has nothing left to do); created
     *                    once, so no allocation per collected instance.
     */
    public DependencyCollector(
        final int self, final int replicaCount, final long phaseTimeoutNs, final DependencyInstances instances,
        final ConflictIndex conflicts, final DependencyPublisher publisher, final ProtocolCounters counters,
        final LongConsumer onCollected)
    {
        this.self = self;
        this.instances = instances;
        this.conflicts = conflicts;
        this.publisher = publisher;
        this.onCollected = onCollected;
        this.progress = new ProgressCollector(self, replicaCount, replicaCount, phaseTimeoutNs, this, counters);
    }

    public void onTick(final long nowNs)
    {
        progress.onTick(nowNs);
    }

    public void onProgress(final int replica, final int origin, final long upTo)
    {
        progress.onProgress(replica, origin, upTo);
    }

    public void onExecuted(final long dot)
    {
        progress.onExecuted(dot);
    }

    public boolean isCollected(final long dot)
    {
        return progress.isCollected(dot);
    }

    public int snapshot(final MutableDirectBuffer out, final int offset)
    {
        return progress.snapshot(out, offset);
    }

    public static int snapshotLength(final int replicaCount)
    {
        return ProgressCollector.snapshotLength(replicaCount);
    }

    public void restore(final DirectBuffer in, final int offset)
    {
        progress.restore(in, offset);
    }

    public boolean isExecuted(final long dot)
    {
        final int slot = instances.slotOf(dot);
        return slot != InstanceSlots.NO_SLOT && instances.status[slot] == DependencyInstances.EXECUTED;
    }

    public void resendDecision(final int peer, final long dot)
    {
        final int slot = instances.slotOf(dot);
        if (slot != InstanceSlots.NO_SLOT && instances.status[slot] >= DependencyInstances.COMMITTED)
        {
            instances.wrapCommands(slot, commandsView);
            publisher.commitTo(peer, instances.promisedBallot[slot], dot, instances.seq[slot], instances.deps[slot],
                commandsView, instances.commandsLength[slot]);
        }
    }

    public void forget(final long dot)
    {
        final int slot = instances.slotOf(dot);
        if (slot != InstanceSlots.NO_SLOT)
        {
            conflicts.forget(dot, instances.keys[slot]);
            instances.slots.free(dot);
        }
        onCollected.accept(dot);
    }

    public void publishProgress(final long[] executedUpTo)
    {
        publisher.progressToAll(self, executedUpTo);
    }
}
