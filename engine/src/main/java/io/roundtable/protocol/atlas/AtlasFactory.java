package io.roundtable.protocol.atlas;

import io.aeron.exceptions.ConfigurationException;
import io.roundtable.execution.GraphExecutor;
import io.roundtable.protocol.CommitSink;
import io.roundtable.protocol.DecisionObserver;
import io.roundtable.protocol.ProtocolContext;
import io.roundtable.protocol.ProtocolFactory;
import io.roundtable.protocol.ReplicaCore;

/**
 * Atlas over the dependency-graph executor. Every decision is reported with order 0: Atlas has no sequence number,
 * so the executor orders a strongly connected component by dot alone.
 */
public final class AtlasFactory implements ProtocolFactory
{
    private static final int EXECUTOR_CAPACITY = 1024;

    public ReplicaCore create(final ProtocolContext context)
    {
        final int replicas = context.replicaCount();
        final GraphExecutor executor = new GraphExecutor(replicas, EXECUTOR_CAPACITY, context.executed());
        final DecisionObserver decisions = context.decisions();
        final CommitSink commits = (dot, seq, deps, depsCount) ->
        {
            decisions.onDecided(dot, 0, deps, depsCount);
            executor.commit(dot, 0, deps, depsCount);
        };
        final Atlas atlas = new Atlas(
            new AtlasConfig()
                .replicaId(context.replicaId())
                .replicaCount(replicas)
                .faults(context.faults())
                .peerPreference(context.peersByPreference())
                .phaseTimeoutNs(context.phaseTimeoutNs())
                .conclude(),
            context.outbox(), context.journal(), commits);
        return new ReplicaCore(atlas, executor);
    }

    /** f = 1, the papers' usual setting: the smallest fast quorum, ⌊N/2⌋+1, and every collect goes fast. */
    public int defaultFaults(final int replicas)
    {
        return 1;
    }

    public void checkClusterSize(final int replicas, final int faults)
    {
        if (replicas < 3 || replicas % 2 == 0 || replicas > 64)
        {
            throw new ConfigurationException("atlas needs an odd number of replicas between 3 and 63 (N = 2F+1), " +
                "but replicas=" + replicas + ": use " + Math.max(3, Math.min(63, replicas - 1)) + " or " +
                Math.min(63, Math.max(5, replicas + 1)));
        }
        final int maxFaults = ProtocolContext.maxFaults(replicas);
        if (faults < 1 || faults > maxFaults)
        {
            throw new ConfigurationException("atlas with " + replicas + " replicas tolerates between 1 and F = " +
                maxFaults + " failures, but faults=" + faults + ": set faults between 1 and " + maxFaults +
                " (1 gives the smallest fast quorum, " + (replicas / 2 + 1) + ")");
        }
    }
}
