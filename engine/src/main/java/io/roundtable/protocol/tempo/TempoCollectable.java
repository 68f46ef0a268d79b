package io.roundtable.protocol.tempo;

import io.roundtable.protocol.InstanceSlots;
import io.roundtable.protocol.progress.CollectableInstances;

/**
 * Tempo's side of the shared {@link io.roundtable.protocol.progress.ProgressCollector}: a lagging peer is resent the
 * Commit, and forgetting an instance also releases this replica's attached promises on it, which every replica counts
 * already once it has executed everywhere.
 */
final class TempoCollectable implements CollectableInstances
{
    private final Tempo tempo;
    private final TempoInstances instances;

    TempoCollectable(final Tempo tempo)
    {
        this.tempo = tempo;
        this.instances = tempo.instances;
    }

    public boolean isExecuted(final long dot)
    {
        final int slot = instances.slotOf(dot);
        return slot != InstanceSlots.NO_SLOT && instances.status[slot] == TempoInstances.EXECUTED;
    }

    public void resendDecision(final int peer, final long dot)
    {
        final int slot = instances.slotOf(dot);
        if (slot != InstanceSlots.NO_SLOT && instances.status[slot] >= TempoInstances.COMMITTED)
        {
            tempo.commitTo(peer, slot);
        }
    }

    public void forget(final long dot)
    {
        tempo.forget(dot);
    }

    public void publishProgress(final long[] executedUpTo)
    {
        tempo.publisher.progressToAll(tempo.self, executedUpTo);
    }
}
