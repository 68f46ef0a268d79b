package io.roundtable.protocol;

import io.roundtable.execution.ExecutionListener;

import java.util.Objects;

/**
 * What a {@link ProtocolFactory} builds a replica's core from: its place in the cluster, its timing, and where its
 * output goes (messages, journal records, executed commands, decisions).
 *
 * @param replicaId         this replica, in [0, replicaCount).
 * @param replicaCount      N.
 * @param faults            f, the crashes the protocol is configured to tolerate (EPaxos requires ⌊(N−1)/2⌋; Atlas
 *                          and Tempo size their fast quorums by it).
 * @param peersByPreference the other replicas, nearest first: thrifty quorums ask the first ones.
 * @param phaseTimeoutNs    how long a phase waits for its quorum before it retries or recovers.
 * @param outbox            where messages go.
 * @param journal           where durable records go, each before any message that reveals it.
 * @param executed          told each dot the executor executes, in order.
 * @param decisions         told every decision before it reaches the executor.
 */
public record ProtocolContext(
    int replicaId,
    int replicaCount,
    int faults,
    int[] peersByPreference,
    long phaseTimeoutNs,
    Outbox outbox,
    JournalSink journal,
    ExecutionListener executed,
    DecisionObserver decisions)
{
    public ProtocolContext
    {
        if (replicaCount < 1 || replicaId < 0 || replicaId >= replicaCount)
        {
            throw new IllegalArgumentException("replicaId " + replicaId + " outside [0, " + replicaCount + ")");
        }
        if (faults < 0 || 2 * faults + 1 > replicaCount)
        {
            throw new IllegalArgumentException("faults " + faults + " needs 2f+1 <= N = " + replicaCount);
        }
        Objects.requireNonNull(peersByPreference, "peersByPreference");
        Objects.requireNonNull(outbox, "outbox");
        Objects.requireNonNull(journal, "journal");
        Objects.requireNonNull(executed, "executed");
        Objects.requireNonNull(decisions, "decisions");
    }

    /** The largest f that N replicas tolerate: ⌊(N−1)/2⌋. */
    public static int maxFaults(final int replicaCount)
    {
        return (replicaCount - 1) / 2;
    }
}
