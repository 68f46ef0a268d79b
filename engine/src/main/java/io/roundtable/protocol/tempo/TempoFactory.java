package io.roundtable.protocol.tempo;

import io.aeron.exceptions.ConfigurationException;
import io.roundtable.command.KeySet;
import io.roundtable.execution.TimestampExecutor;
import io.roundtable.protocol.DecisionObserver;
import io.roundtable.protocol.ProtocolContext;
import io.roundtable.protocol.ProtocolCounters;
import io.roundtable.protocol.ProtocolFactory;
import io.roundtable.protocol.ReplicaCore;
import io.roundtable.protocol.TimestampSink;

/**
 * Tempo over the timestamp-stability executor: odd N ≥ 3 and 1 ≤ f ≤ ⌊(N−1)/2⌋ (f sizes the fast quorum ⌊N/2⌋+f and
 * the slow quorum f+1); f = 1 by default, the papers' usual setting.
 */
public final class TempoFactory implements ProtocolFactory
{
    private static final int EXECUTOR_CAPACITY = 1024;
    private static final long[] NO_DEPS = new long[0];

    public ReplicaCore create(final ProtocolContext context)
    {
        final int replicas = context.replicaCount();
        final TimestampExecutor executor = new TimestampExecutor(replicas, EXECUTOR_CAPACITY, context.executed());
        final DecisionObserver decisions = context.decisions();
        final TimestampSink sink = new TimestampSink()
        {
            public void onCommit(final long dot, final long timestamp, final KeySet keys)
            {
                decisions.onDecided(dot, timestamp, NO_DEPS, 0);
                executor.commit(dot, timestamp, keys);
            }

            public void onStable(final long key, final long stableUpTo)
            {
                executor.stable(key, stableUpTo);
            }

            public void onKeyForgotten(final long key)
            {
                executor.forgetKey(key);
            }
        };
        final Tempo tempo = new Tempo(context.replicaId(), replicas, context.faults(), context.peersByPreference(),
            context.phaseTimeoutNs(), context.outbox(), context.journal(), sink, new ProtocolCounters());
        return new ReplicaCore(tempo, executor);
    }

    public int defaultFaults(final int replicas)
    {
        return 1;
    }

    public void checkClusterSize(final int replicas, final int faults)
    {
        if (replicas < 3 || replicas % 2 == 0 || replicas > Long.SIZE)
        {
            throw new ConfigurationException("tempo needs an odd number of replicas from 3 to 63, but replicas=" +
                replicas + ": use " + Math.max(3, replicas - 1) + " or " + Math.max(5, replicas + 1));
        }
        if (faults < 1 || faults > ProtocolContext.maxFaults(replicas))
        {
            throw new ConfigurationException("tempo with " + replicas + " replicas tolerates 1 to " +
                ProtocolContext.maxFaults(replicas) + " failures, but faults=" + faults + ": set faults=1 (the " +
                "default) or at most " + ProtocolContext.maxFaults(replicas));
        }
    }
}
