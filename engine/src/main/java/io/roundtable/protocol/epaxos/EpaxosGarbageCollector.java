package io.roundtable.protocol.epaxos;

import io.roundtable.protocol.Dot;
import io.roundtable.protocol.ExecutionWatermarks;
import io.roundtable.protocol.InstanceSlots;

/**
 * Forgets instances once every replica has executed them (PROTOCOLS.md pitfall 9): tracks this replica's contiguous
 * executed prefix per origin, broadcasts it in Progress every half phase timeout, learns everyone else's, and frees
 * what lies below all of them — a bounded number per tick, so a long backlog cannot stall the duty cycle. A replica
 * that is down holds collection back until it returns.
 */
final class EpaxosGarbageCollector
{
    private static final int COLLECTION_BUDGET_PER_TICK = 65_536;

    private final Epaxos epaxos;
    private final EpaxosInstances instances;
    private final EpaxosRecovery recovery;
    private final ExecutionWatermarks watermarks;
    private final long[] executedUpTo;
    private final long[] collectedUpTo;
    private final long progressIntervalNs;
    private long lastProgressNs;

    EpaxosGarbageCollector(final Epaxos epaxos, final EpaxosRecovery recovery)
    {
        this.epaxos = epaxos;
        this.instances = epaxos.instances;
        this.recovery = recovery;
        this.watermarks = new ExecutionWatermarks(epaxos.replicaCount);
        this.executedUpTo = new long[epaxos.replicaCount];
        this.collectedUpTo = new long[epaxos.replicaCount];
        this.progressIntervalNs = Math.max(1, epaxos.phaseTimeoutNs / 2);
    }

    void onTick(final long nowNs)
    {
        if (nowNs - lastProgressNs >= progressIntervalNs)
        {
            lastProgressNs = nowNs;
            epaxos.publisher.progressToAll(epaxos.self, executedUpTo);
        }
        collect();
    }

    void onProgress(final int replica, final int origin, final long upTo)
    {
        if (origin < 0 || origin >= epaxos.replicaCount || upTo < 0 || upTo > Dot.MAX_INSTANCE)
        {
            epaxos.counters.malformedDropped++;
            return;
        }
        watermarks.onProgress(replica, origin, upTo);
    }

    /** Advances this replica's executed prefix of the instance's origin past every executed successor. */
    void onExecuted(final long dot)
    {
        final int origin = Dot.replica(dot);
        long upTo = executedUpTo[origin];
        while (true)
        {
            final int next = instances.slotOf(Dot.of(origin, upTo + 1));
            if (next == InstanceSlots.NO_SLOT || instances.status[next] != EpaxosInstances.EXECUTED)
            {
                break;
            }
            upTo++;
        }
        executedUpTo[origin] = upTo;
        watermarks.onProgress(epaxos.self, origin, upTo);
    }

    boolean isCollected(final long dot)
    {
        return Dot.instance(dot) <= collectedUpTo[Dot.replica(dot)];
    }

    private void collect()
    {
        int budget = COLLECTION_BUDGET_PER_TICK;
        for (int origin = 0; origin < epaxos.replicaCount && budget > 0; origin++)
        {
            final long target = watermarks.executedEverywhereUpTo(origin);
            while (collectedUpTo[origin] < target && budget-- > 0)
            {
                final long dot = Dot.of(origin, ++collectedUpTo[origin]);
                final int slot = instances.slotOf(dot);
                if (slot != InstanceSlots.NO_SLOT)
                {
                    epaxos.conflicts.forget(dot, instances.keys[slot]);
                    instances.slots.free(dot);
                }
                recovery.onDecided(dot);
            }
        }
    }
}
