package io.roundtable.protocol.dependency;

import io.roundtable.conflict.ConflictIndex;
import io.roundtable.protocol.Dot;
import io.roundtable.protocol.ExecutionWatermarks;
import io.roundtable.protocol.InstanceSlots;
import io.roundtable.protocol.ProtocolCounters;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.LongConsumer;

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
public final class DependencyCollector
{
    private static final int COLLECTION_BUDGET_PER_TICK = 65_536;
    private static final int CATCH_UP_BATCH = 256;

    private final int self;
    private final int replicaCount;
    private final DependencyInstances instances;
    private final ConflictIndex conflicts;
    private final DependencyPublisher publisher;
    private final ProtocolCounters counters;
    private final LongConsumer onCollected;
    private final UnsafeBuffer commandsView = new UnsafeBuffer(0, 0);
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
        this.replicaCount = replicaCount;
        this.instances = instances;
        this.conflicts = conflicts;
        this.publisher = publisher;
        this.counters = counters;
        this.onCollected = onCollected;
        this.watermarks = new ExecutionWatermarks(replicaCount);
        this.executedUpTo = new long[replicaCount];
        this.collectedUpTo = new long[replicaCount];
        this.prefixLastRound = new long[replicaCount];
        this.progressIntervalNs = Math.max(1, phaseTimeoutNs / 2);
    }

    public void onTick(final long nowNs)
    {
        if (nowNs - lastProgressNs >= progressIntervalNs)
        {
            lastProgressNs = nowNs;
            publisher.progressToAll(self, executedUpTo);
            sendCommitsToLaggingPeers();
        }
        collect();
    }

    public void onProgress(final int replica, final int origin, final long upTo)
    {
        if (origin < 0 || origin >= replicaCount || upTo < 0 || upTo > Dot.MAX_INSTANCE)
        {
            counters.malformedDropped++;
            return;
        }
        watermarks.onProgress(replica, origin, upTo);
    }

    /** Advances this replica's executed prefix of the instance's origin past every executed successor. */
    public void onExecuted(final long dot)
    {
        final int origin = Dot.replica(dot);
        long upTo = executedUpTo[origin];
        while (true)
        {
            final int next = instances.slotOf(Dot.of(origin, upTo + 1));
            if (next == InstanceSlots.NO_SLOT || instances.status[next] != DependencyInstances.EXECUTED)
            {
                break;
            }
            upTo++;
        }
        executedUpTo[origin] = upTo;
        watermarks.onProgress(self, origin, upTo);
    }

    public boolean isCollected(final long dot)
    {
        return Dot.instance(dot) <= collectedUpTo[Dot.replica(dot)];
    }

    /** Checkpoint layout per origin: this replica's executed prefix, then what it has collected (longs). */
    public int snapshot(final MutableDirectBuffer out, final int offset)
    {
        int position = offset;
        for (int origin = 0; origin < replicaCount; origin++)
        {
            out.putLong(position, executedUpTo[origin]);
            out.putLong(position + Long.BYTES, collectedUpTo[origin]);
            position += 2 * Long.BYTES;
        }
        return position - offset;
    }

    public static int snapshotLength(final int replicaCount)
    {
        return replicaCount * 2 * Long.BYTES;
    }

    /** Before any instance is restored: what had executed here and been forgotten when the checkpoint was taken. */
    public void restore(final DirectBuffer in, final int offset)
    {
        int position = offset;
        for (int origin = 0; origin < replicaCount; origin++)
        {
            final long executed = in.getLong(position);
            final long collected = in.getLong(position + Long.BYTES);
            if (executed < 0 || collected < 0 || collected > executed || executed > Dot.MAX_INSTANCE)
            {
                throw new IllegalArgumentException("checkpoint state is corrupt: origin " + origin +
                    " executed up to " + executed + ", collected up to " + collected);
            }
            executedUpTo[origin] = executed;
            prefixLastRound[origin] = executed;
            collectedUpTo[origin] = collected;
            watermarks.onProgress(self, origin, executed);
            position += 2 * Long.BYTES;
        }
    }

    private void sendCommitsToLaggingPeers()
    {
        for (int peer = 0; peer < replicaCount; peer++)
        {
            if (peer == self)
            {
                continue;
            }
            for (int origin = 0; origin < replicaCount; origin++)
            {
                final long from = watermarks.executedUpTo(peer, origin) + 1;
                final long to = Math.min(prefixLastRound[origin], from + CATCH_UP_BATCH - 1);
                for (long instance = Math.max(from, collectedUpTo[origin] + 1); instance <= to; instance++)
                {
                    final int slot = instances.slotOf(Dot.of(origin, instance));
                    if (slot != InstanceSlots.NO_SLOT && instances.status[slot] >= DependencyInstances.COMMITTED)
                    {
                        instances.wrapCommands(slot, commandsView);
                        publisher.commitTo(peer, instances.promisedBallot[slot], Dot.of(origin, instance),
                            instances.seq[slot], instances.deps[slot], commandsView,
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
        for (int origin = 0; origin < replicaCount && budget > 0; origin++)
        {
            final long target = watermarks.executedEverywhereUpTo(origin);
            while (collectedUpTo[origin] < target && budget-- > 0)
            {
                final long dot = Dot.of(origin, ++collectedUpTo[origin]);
                final int slot = instances.slotOf(dot);
                if (slot != InstanceSlots.NO_SLOT)
                {
                    conflicts.forget(dot, instances.keys[slot]);
                    instances.slots.free(dot);
                }
                onCollected.accept(dot);
            }
        }
    }
}
