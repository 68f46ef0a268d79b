package io.roundtable.protocol.epaxos;

import io.aeron.exceptions.ConfigurationException;
import io.roundtable.execution.GraphExecutor;
import io.roundtable.protocol.CommitSink;
import io.roundtable.protocol.DecisionObserver;
import io.roundtable.protocol.ProtocolContext;
import io.roundtable.protocol.ProtocolFactory;
import io.roundtable.protocol.ReplicaCore;

/** EPaxos over the dependency-graph executor; N = 2F+1 with F = ⌊(N−1)/2⌋ (its fast quorum assumes it). */
public final class EpaxosFactory implements ProtocolFactory
{
    private static final int EXECUTOR_CAPACITY = 1024;

    public ReplicaCore create(final ProtocolContext context)
    {
        final int replicas = context.replicaCount();
        if (context.faults() != ProtocolContext.maxFaults(replicas))
        {
            throw new IllegalArgumentException("EPaxos with " + replicas + " replicas tolerates exactly " +
                ProtocolContext.maxFaults(replicas) + " faults, not " + context.faults());
        }
        final GraphExecutor executor = new GraphExecutor(replicas, EXECUTOR_CAPACITY, context.executed());
        final DecisionObserver decisions = context.decisions();
        final CommitSink commits = (dot, seq, deps, depsCount) ->
        {
            decisions.onDecided(dot, seq, deps, depsCount);
            executor.commit(dot, seq, deps, depsCount);
        };
        final Epaxos epaxos = new Epaxos(
            new EpaxosConfig()
                .replicaId(context.replicaId())
                .replicaCount(replicas)
                .peerPreference(context.peersByPreference())
                .phaseTimeoutNs(context.phaseTimeoutNs())
                .conclude(),
            context.outbox(), context.journal(), commits);
        return new ReplicaCore(epaxos, executor);
    }

    public void checkClusterSize(final int replicas, final int faults)
    {
        if (replicas < 3 || replicas % 2 == 0)
        {
            throw new ConfigurationException("epaxos needs an odd number of replicas, at least 3 (N = 2F+1), but " +
                "replicas=" + replicas + ": use " + Math.max(3, replicas - 1) + " or " + Math.max(5, replicas + 1));
        }
        if (faults != ProtocolContext.maxFaults(replicas))
        {
            throw new ConfigurationException("epaxos with " + replicas + " replicas tolerates F = " +
                ProtocolContext.maxFaults(replicas) + " failures, but faults=" + faults +
                ": remove the faults line or set faults=" + ProtocolContext.maxFaults(replicas));
        }
    }
}
