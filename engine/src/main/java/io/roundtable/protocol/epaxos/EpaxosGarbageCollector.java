package io.roundtable.protocol.epaxos;

import io.roundtable.protocol.Dot;
import io.roundtable.protocol.ExecutionWatermarks;
import io.roundtable.protocol.InstanceSlots;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Execution progress between replicas: tracks this replica's contiguous executed prefix per origin and broadcasts it
 * in Progress every half phase timeout, learning everyone else's. Two uses:
 * <ul>
 * <li>garbage collection (PROTOCOLS.md pitfall 9): instances below every replica's prefix are forgotten, a bounded
 * number per tick so a long backlog cannot stall the duty cycle; a replica that is down holds collection back until
 * it returns;</li>
 * <li>catch-up (seed 001's lagging replicas): a peer that still does not report what we had executed a round ago is
 * sent the Commits it lacks, a bounded batch per peer and origin each round, so a replica that missed Commits (lost, partitioned, restarted)
 * executes everything without a recovery per instance, and catching up never starves new commands.</li>
 * </ul>
 */
final class EpaxosGarbageCollector
{
    private static final int COLLECTION_BUDGET_PER_TICK = 65_536;
    private static final int CATCH_UP_BATCH = 256;

    private final Epaxos epaxos;
    private final EpaxosInstances instances;
    private final EpaxosRecovery recovery;
    private final ExecutionWatermarks watermarks;
    private final long[] executedUpTo;
    private final long[] collectedUpTo;
    /**
     * Our own prefix per origin at the previous Progress round. A peer is only sent what we had executed a whole round
     * ago and it still does not report: comparing with our current prefix would resend, every round, the Commits any
     * busy peer is still receiving the normal way.
     */
    private final long[] prefixLastRound;
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
        this.prefixLastRound = new long[epaxos.replicaCount];
        this.progressIntervalNs = Math.max(1, epaxos.phaseTimeoutNs / 2);
    }

    void onTick(final long nowNs)
    {
        if (nowNs - lastProgressNs >= progressIntervalNs)
        {
            lastProgressNs = nowNs;
            epaxos.publisher.progressToAll(epaxos.self, executedUpTo);
            sendCommitsToLaggingPeers();
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

    /** Checkpoint layout per origin: this replica's executed prefix, then what it has collected (longs). */
    int snapshot(final MutableDirectBuffer out, final int offset)
    {
        int position = offset;
        for (int origin = 0; origin < epaxos.replicaCount; origin++)
        {
            out.putLong(position, executedUpTo[origin]);
            out.putLong(position + Long.BYTES, collectedUpTo[origin]);
            position += 2 * Long.BYTES;
        }
        return position - offset;
    }

    static int snapshotLength(final int replicaCount)
    {
        return replicaCount * 2 * Long.BYTES;
    }

    /** Before any instance is restored: what had executed here and been forgotten when the checkpoint was taken. */
    void restore(final DirectBuffer in, final int offset)
    {
        int position = offset;
        for (int origin = 0; origin < epaxos.replicaCount; origin++)
        {
            final long executed = in.getLong(position);
            final long collected = in.getLong(position + Long.BYTES);
            if (executed < 0 || collected < 0 || collected > executed || executed > Dot.MAX_INSTANCE)
            {
                throw new IllegalArgumentException("EPaxos checkpoint state is corrupt: origin " + origin +
                    " executed up to " + executed + ", collected up to " + collected);
            }
            executedUpTo[origin] = executed;
            prefixLastRound[origin] = executed;
            collectedUpTo[origin] = collected;
            watermarks.onProgress(epaxos.self, origin, executed);
            position += 2 * Long.BYTES;
        }
    }

    private void sendCommitsToLaggingPeers()
    {
        for (int peer = 0; peer < epaxos.replicaCount; peer++)
        {
            if (peer == epaxos.self)
            {
                continue;
            }
            for (int origin = 0; origin < epaxos.replicaCount; origin++)
            {
                final long from = watermarks.executedUpTo(peer, origin) + 1;
                final long to = Math.min(prefixLastRound[origin], from + CATCH_UP_BATCH - 1);
                for (long instance = Math.max(from, collectedUpTo[origin] + 1); instance <= to; instance++)
                {
                    final int slot = instances.slotOf(Dot.of(origin, instance));
                    if (slot != InstanceSlots.NO_SLOT && instances.status[slot] >= EpaxosInstances.COMMITTED)
                    {
                        instances.wrapCommands(slot, epaxos.commandsView);
                        epaxos.publisher.commitTo(peer, instances.promisedBallot[slot], Dot.of(origin, instance),
                            instances.seq[slot], instances.deps[slot], epaxos.commandsView,
                            instances.commandsLength[slot]);
                    }
                }
            }
        }
        System.arraycopy(executedUpTo, 0, prefixLastRound, 0, executedUpTo.length);
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
