package io.roundtable.protocol.paxos;

import io.aeron.exceptions.ConfigurationException;
import io.roundtable.execution.GraphExecutor;
import io.roundtable.protocol.CommitSink;
import io.roundtable.protocol.DecisionObserver;
import io.roundtable.protocol.Dot;
import io.roundtable.protocol.ProtocolContext;
import io.roundtable.protocol.ProtocolFactory;
import io.roundtable.protocol.ReplicaCore;

/**
 * Multi-Paxos over the graph executor: the log is origin 0 and each position depends on the one before, so the
 * executor runs a chain, in order. Any N from 1 to 64 (ballot and accept sets are {@code long} bitsets) with
 * 2f + 1 ≤ N, even N included; f defaults to ⌊(N−1)/2⌋, classic majorities.
 */
public final class PaxosFactory implements ProtocolFactory
{
    private static final int EXECUTOR_CAPACITY = 1024;
    private static final int MAX_REPLICAS = Long.SIZE;
    private static final long ELECTION_SEED = 0x5DEECE66DL;

    public ReplicaCore create(final ProtocolContext context)
    {
        final GraphExecutor executor = new GraphExecutor(1, EXECUTOR_CAPACITY, context.executed());
        final DecisionObserver decisions = context.decisions();
        final CommitSink commits = (dot, seq, deps, depsCount) ->
        {
            decisions.onDecided(dot, Dot.instance(dot), deps, depsCount);
            executor.commit(dot, seq, deps, depsCount);
        };
        final Paxos paxos = new Paxos(context.replicaId(), context.replicaCount(), context.faults(),
            context.phaseTimeoutNs(), ELECTION_SEED * 31 + context.replicaId(), context.outbox(), context.journal(),
            commits);
        return new ReplicaCore(paxos, executor);
    }

    public void checkClusterSize(final int replicas, final int faults)
    {
        if (replicas < 1 || replicas > MAX_REPLICAS)
        {
            throw new ConfigurationException("paxos runs with 1 to " + MAX_REPLICAS + " replicas, but replicas=" +
                replicas);
        }
        if (faults < 0 || 2 * faults + 1 > replicas)
        {
            throw new ConfigurationException("paxos with " + replicas + " replicas tolerates at most " +
                ProtocolContext.maxFaults(replicas) + " failures (2f+1 <= N), but faults=" + faults +
                ": remove the faults line or set faults to at most " + ProtocolContext.maxFaults(replicas));
        }
    }
}
