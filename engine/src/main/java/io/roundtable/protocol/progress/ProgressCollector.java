package io.roundtable.protocol.progress;

import io.roundtable.protocol.Dot;
import io.roundtable.protocol.ProtocolCounters;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Execution progress between replicas, shared by every protocol: this replica's contiguous executed prefix per origin
 * goes out in Progress every half phase timeout, and everyone else's comes in. Two uses:
 * <ul>
 * <li>garbage collection (PROTOCOLS.md pitfall 9): instances below every replica's prefix are forgotten, a bounded
 * number per tick so a long backlog cannot stall the duty cycle; a replica that is down holds collection back until
 * it returns;</li>
 * <li>catch-up (seed 001's lagging replicas): a peer that still does not report what this replica had executed a round
 * ago is sent the decisions it lacks, a bounded batch per peer and origin each round, so a replica that missed
 * decisions (lost, partitioned, restarted) executes everything without a recovery per instance, and catching up never
 * starves new commands.</li>
 * </ul>
 * An origin is a replica for the dependency protocols and Tempo (dots are contiguous per coordinator) and the single
 * log for Multi-Paxos ({@code originCount} 1). What is forgotten, and how a decision is resent, is the protocol's
 * {@link CollectableInstances}.
 */
public final class ProgressCollector
{
    private static final int COLLECTION_BUDGET_PER_TICK = 65_536;
    private static final int CATCH_UP_BATCH = 256;

    private final int self;
    private final int replicaCount;
    private final int originCount;
    private final CollectableInstances instances;
    private final ProtocolCounters counters;
    private final ExecutionWatermarks watermarks;
    private final long[] executedUpTo;
    private final long[] collectedUpTo;
    /**
     * Our own prefix per origin at the previous Progress round. A peer is only sent what we had executed a whole round
     * ago and it still does not report: comparing with our current prefix would resend, every round, the decisions
     * any busy peer is still receiving the normal way.
     */
    private final long[] prefixLastRound;
    /** Per replica and origin, the prefix its latest Progress reported (watermarks keep the highest ever). */
    private final long[][] reportedUpTo;
    private final long progressIntervalNs;
    private long lastProgressNs;

    public ProgressCollector(
        final int self, final int replicaCount, final int originCount, final long phaseTimeoutNs,
        final CollectableInstances instances, final ProtocolCounters counters)
    {
        this.self = self;
        this.replicaCount = replicaCount;
        this.originCount = originCount;
        this.instances = instances;
        this.counters = counters;
        this.watermarks = new ExecutionWatermarks(replicaCount, originCount);
        this.executedUpTo = new long[originCount];
        this.collectedUpTo = new long[originCount];
        this.prefixLastRound = new long[originCount];
        this.reportedUpTo = new long[replicaCount][originCount];
        this.progressIntervalNs = Math.max(1, phaseTimeoutNs / 2);
    }

    public void onTick(final long nowNs)
    {
        if (nowNs - lastProgressNs >= progressIntervalNs)
        {
            lastProgressNs = nowNs;
            instances.publishProgress(executedUpTo);
            resendToLaggingPeers();
        }
        collect();
    }

    /** A Progress entry from {@code replica}; an origin or instance out of range is counted and dropped. */
    public void onProgress(final int replica, final int origin, final long upTo)
    {
        if (replica < 0 || replica >= replicaCount || origin < 0 || origin >= originCount || upTo < 0 ||
            upTo > Dot.MAX_INSTANCE)
        {
            counters.malformedDropped++;
            return;
        }
        watermarks.onProgress(replica, origin, upTo);
        reportedUpTo[replica][origin] = upTo;
    }

    /**
     * @return true if {@code replica}'s latest Progress reports less than it once did: it restarted and is executing
     * again what it had executed before (or, briefly, an old Progress arrived late). Peers that forgot state about
     * what it executed may have to publish some of it again.
     */
    public boolean isBehind(final int replica)
    {
        final long[] reported = reportedUpTo[replica];
        for (int origin = 0; origin < originCount; origin++)
        {
            if (reported[origin] < watermarks.executedUpTo(replica, origin))
            {
                return true;
            }
        }
        return false;
    }

    /** Advances this replica's executed prefix of the dot's origin past every executed successor. */
    public void onExecuted(final long dot)
    {
        final int origin = Dot.replica(dot);
        long upTo = executedUpTo[origin];
        while (upTo < Dot.MAX_INSTANCE && instances.isExecuted(Dot.of(origin, upTo + 1)))
        {
            upTo++;
        }
        executedUpTo[origin] = upTo;
        watermarks.onProgress(self, origin, upTo);
    }

    /**
     * Whether {@code replica} has executed {@code dot}, as far as this replica knows: its own executed prefix for
     * itself, the highest prefix a peer reported for a peer. Conservative (prefixes only) and never wrong, as a peer
     * that restarts replays what it executed before.
     */
    public boolean hasExecuted(final int replica, final long dot)
    {
        final int origin = Dot.replica(dot);
        if (origin >= originCount)
        {
            return false;
        }
        final long upTo = replica == self ? executedUpTo[origin] : watermarks.executedUpTo(replica, origin);
        return Dot.instance(dot) <= upTo;
    }

    public boolean isCollected(final long dot)
    {
        final int origin = Dot.replica(dot);
        return origin < originCount && Dot.instance(dot) <= collectedUpTo[origin];
    }

    /** @return this replica's contiguous executed prefix of {@code origin}. */
    public long executedUpTo(final int origin)
    {
        return executedUpTo[origin];
    }

    /** @return how far {@code origin}'s instances have been forgotten here. */
    public long collectedUpTo(final int origin)
    {
        return collectedUpTo[origin];
    }

    /** Checkpoint layout per origin: this replica's executed prefix, then what it has collected (longs). */
    public int snapshot(final MutableDirectBuffer out, final int offset)
    {
        int position = offset;
        for (int origin = 0; origin < originCount; origin++)
        {
            out.putLong(position, executedUpTo[origin]);
            out.putLong(position + Long.BYTES, collectedUpTo[origin]);
            position += 2 * Long.BYTES;
        }
        return position - offset;
    }

    public static int snapshotLength(final int originCount)
    {
        return originCount * 2 * Long.BYTES;
    }

    /**
     * Before any instance is restored: what had executed here and been forgotten when the checkpoint was taken.
     * Validates every origin before changing anything.
     */
    public void restore(final DirectBuffer in, final int offset)
    {
        for (int origin = 0, position = offset; origin < originCount; origin++, position += 2 * Long.BYTES)
        {
            final long executed = in.getLong(position);
            final long collected = in.getLong(position + Long.BYTES);
            if (executed < 0 || collected < 0 || collected > executed || executed > Dot.MAX_INSTANCE)
            {
                throw new IllegalArgumentException("checkpoint state is corrupt: origin " + origin +
                    " executed up to " + executed + ", collected up to " + collected);
            }
        }
        for (int origin = 0, position = offset; origin < originCount; origin++, position += 2 * Long.BYTES)
        {
            final long executed = in.getLong(position);
            executedUpTo[origin] = executed;
            prefixLastRound[origin] = executed;
            collectedUpTo[origin] = in.getLong(position + Long.BYTES);
            watermarks.onProgress(self, origin, executed);
        }
    }

    /**
     * Starts at the peer's watermark, but never below what is forgotten here: after a restore the peers' watermarks
     * are still 0 while this replica's collected prefix is not, and the batch should cover instances it still holds.
     */
    private void resendToLaggingPeers()
    {
        for (int peer = 0; peer < replicaCount; peer++)
        {
            if (peer == self)
            {
                continue;
            }
            for (int origin = 0; origin < originCount; origin++)
            {
                final long from = Math.max(watermarks.executedUpTo(peer, origin), collectedUpTo[origin]) + 1;
                final long to = Math.min(prefixLastRound[origin], from + CATCH_UP_BATCH - 1);
                for (long instance = from; instance <= to; instance++)
                {
                    instances.resendDecision(peer, Dot.of(origin, instance));
                }
            }
        }
        System.arraycopy(executedUpTo, 0, prefixLastRound, 0, originCount);
    }

    private void collect()
    {
        int budget = COLLECTION_BUDGET_PER_TICK;
        for (int origin = 0; origin < originCount && budget > 0; origin++)
        {
            final long target = watermarks.executedEverywhereUpTo(origin);
            while (collectedUpTo[origin] < target && budget-- > 0)
            {
                instances.forget(Dot.of(origin, ++collectedUpTo[origin]));
            }
        }
    }
}
