package io.roundtable.protocol.paxos;

import io.roundtable.protocol.Dot;
import io.roundtable.protocol.InstanceSlots;
import io.roundtable.protocol.progress.CollectableInstances;

/**
 * Multi-Paxos's side of the shared {@link io.roundtable.protocol.progress.ProgressCollector}, over the one log origin
 * (a dot is {@code Dot.of(0, position)}): a lagging peer is resent the position as Chosen with its value, and a
 * position executed everywhere is freed.
 */
final class PaxosCollectable implements CollectableInstances
{
    private final Paxos paxos;
    private final PaxosLog log;

    PaxosCollectable(final Paxos paxos)
    {
        this.paxos = paxos;
        this.log = paxos.log;
    }

    public boolean isExecuted(final long dot)
    {
        return log.statusAt(Dot.instance(dot)) == PaxosLog.EXECUTED;
    }

    public void resendDecision(final int peer, final long dot)
    {
        final long position = Dot.instance(dot);
        final int slot = log.slotOf(position);
        if (slot != InstanceSlots.NO_SLOT && log.status[slot] >= PaxosLog.COMMITTED)
        {
            paxos.publisher.chosen(peer, log.acceptedBallot[slot], position, log.commands[slot],
                log.commandsLength[slot]);
        }
    }

    public void forget(final long dot)
    {
        log.free(Dot.instance(dot));
    }

    public void publishProgress(final long[] executedUpTo)
    {
        paxos.publisher.progressToAll(paxos.self, executedUpTo[0]);
    }
}
