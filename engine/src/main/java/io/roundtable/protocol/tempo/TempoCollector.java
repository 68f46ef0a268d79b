package io.roundtable.protocol.tempo;

import io.roundtable.protocol.Dot;
import io.roundtable.protocol.ExecutionWatermarks;
import io.roundtable.protocol.InstanceSlots;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Execution progress between replicas, as EPaxos's collector does it: this replica's contiguous executed prefix per
 * origin goes out in Progress every half phase timeout, and everyone else's comes in. Instances below every replica's
 * prefix are forgotten (a bounded number per tick), together with this replica's attached promises on them, which
 * every replica counts already; a peer that still lacks what this replica had executed a round ago is sent those
 * Commits (catch-up), so a replica that missed Commits executes without recovering each instance.
 * <p>
 * A Tempo-specific copy of {@code EpaxosGarbageCollector}'s rules (forgetting also releases the own attached
 * promises): a candidate for the shared {@code ProgressCollector} of design note §0.2.
 */
final class TempoCollector
{
    private static final int COLLECTION_BUDGET_PER_TICK = 65_536;
    private static final int CATCH_UP_BATCH = 256;

    private final Tempo tempo;
    private final TempoInstances instances;
    private final ExecutionWatermarks watermarks;
    private final long[] executedUpTo;
    private final long[] collectedUpTo;
    private final long[] prefixLastRound;
    private final long progressIntervalNs;
    private long lastProgressNs;

    TempoCollector(final Tempo tempo)
    {
        this.tempo = tempo;
        this.instances = tempo.instances;
        this.watermarks = new ExecutionWatermarks(tempo.replicaCount);
        this.executedUpTo = new long[tempo.replicaCount];
        this.collectedUpTo = new long[tempo.replicaCount];
        this.prefixLastRound = new long[tempo.replicaCount];
        this.progressIntervalNs = Math.max(1, tempo.phaseTimeoutNs / 2);
    }

    void onTick(final long nowNs)
    {
        if (nowNs - lastProgressNs >= progressIntervalNs)
        {
            lastProgressNs = nowNs;
            tempo.publisher.progressToAll(tempo.self, executedUpTo);
            sendCommitsToLaggingPeers();
        }
        collect();
    }

    void onProgress(final int replica, final int origin, final long upTo)
    {
        if (origin < 0 || origin >= tempo.replicaCount || upTo < 0 || upTo > Dot.MAX_INSTANCE)
        {
            tempo.counters.malformedDropped++;
            return;
        }
        watermarks.onProgress(replica, origin, upTo);
    }

    void onExecuted(final long dot)
    {
        final int origin = Dot.replica(dot);
        long upTo = executedUpTo[origin];
        while (true)
        {
            final int next = instances.slotOf(Dot.of(origin, upTo + 1));
            if (next == InstanceSlots.NO_SLOT || instances.status[next] != TempoInstances.EXECUTED)
            {
                break;
            }
            upTo++;
        }
        executedUpTo[origin] = upTo;
        watermarks.onProgress(tempo.self, origin, upTo);
    }

    boolean isCollected(final long dot)
    {
        return Dot.instance(dot) <= collectedUpTo[Dot.replica(dot)];
    }

    int snapshot(final MutableDirectBuffer out, final int offset)
    {
        int position = offset;
        for (int origin = 0; origin < tempo.replicaCount; origin++)
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

    void restore(final DirectBuffer in, final int offset)
    {
        int position = offset;
        for (int origin = 0; origin < tempo.replicaCount; origin++)
        {
            final long executed = in.getLong(position);
            final long collected = in.getLong(position + Long.BYTES);
            if (executed < 0 || collected < 0 || collected > executed || executed > Dot.MAX_INSTANCE)
            {
                throw new IllegalArgumentException("Tempo checkpoint state is corrupt: origin " + origin +
                    " executed up to " + executed + ", collected up to " + collected);
            }
            executedUpTo[origin] = executed;
            prefixLastRound[origin] = executed;
            collectedUpTo[origin] = collected;
            watermarks.onProgress(tempo.self, origin, executed);
            position += 2 * Long.BYTES;
        }
    }

    private void sendCommitsToLaggingPeers()
    {
        for (int peer = 0; peer < tempo.replicaCount; peer++)
        {
            if (peer == tempo.self)
            {
                continue;
            }
            for (int origin = 0; origin < tempo.replicaCount; origin++)
            {
                final long from = watermarks.executedUpTo(peer, origin) + 1;
                final long to = Math.min(prefixLastRound[origin], from + CATCH_UP_BATCH - 1);
                for (long instance = Math.max(from, collectedUpTo[origin] + 1); instance <= to; instance++)
                {
                    final int slot = instances.slotOf(Dot.of(origin, instance));
                    if (slot != InstanceSlots.NO_SLOT && instances.status[slot] >= TempoInstances.COMMITTED)
                    {
                        tempo.commitTo(peer, slot);
                    }
                }
            }
        }
        System.arraycopy(executedUpTo, 0, prefixLastRound, 0, executedUpTo.length);
    }

    private void collect()
    {
        int budget = COLLECTION_BUDGET_PER_TICK;
        for (int origin = 0; origin < tempo.replicaCount && budget > 0; origin++)
        {
            final long target = watermarks.executedEverywhereUpTo(origin);
            while (collectedUpTo[origin] < target && budget-- > 0)
            {
                final long dot = Dot.of(origin, ++collectedUpTo[origin]);
                tempo.forget(dot);
            }
        }
    }
}
