package io.roundtable.runtime;

import io.roundtable.driver.LoopbackPorts;
import io.roundtable.config.ClusterTopology;
import io.roundtable.config.JournalFlush;
import io.roundtable.config.ProtocolName;
import io.roundtable.sim.check.History;
import io.roundtable.sim.check.LinearizabilityChecker;
import io.roundtable.statemachine.KeyValueStateMachine;
import io.roundtable.workload.KeyValueWorkload;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real replicas (each on its own AgentRunner thread, journals on Chronicle Queue) over Aeron UDP on loopback through
 * one embedded driver, driven by real clients on every replica: every replica ends in the same state and the
 * clients' history is linearizable.
 */
class ReplicaClusterTest
{
    private static final int COMMANDS = 100_000;

    @TempDir
    Path journals;

    @ParameterizedTest(name = "{0}, {1} replicas, conflict {2}, journal flush {3}, one thread {4}")
    @CsvSource({
        "EPAXOS, 3, 0.0, NONE, false", "EPAXOS, 3, 1.0, NONE, false", "EPAXOS, 5, 0.0, NONE, false",
        "EPAXOS, 5, 1.0, NONE, false", "EPAXOS, 3, 0.02, PER_BATCH, false", "EPAXOS, 3, 0.02, NONE, true",
        "ATLAS, 3, 0.02, NONE, false", "ATLAS, 5, 1.0, NONE, false",
        "TEMPO, 3, 0.02, NONE, false", "TEMPO, 5, 1.0, NONE, false",
        "PAXOS, 3, 0.02, NONE, false", "PAXOS, 5, 1.0, NONE, false"})
    void replicasAgreeAndClientsSeeALinearizableHistory(
        final ProtocolName protocol, final int replicas, final double conflict, final JournalFlush flush,
        final boolean oneThread)
    {
        final ClusterTopology topology = ClusterTopology.localhost(
            protocol, replicas, LoopbackPorts.baseOfFreeRun(2 * replicas), journals).withJournalFlush(flush);
        final KeyValueStateMachine[] stores = new KeyValueStateMachine[replicas];
        final History history = new History();
        final BackoffIdleStrategy idle = new BackoffIdleStrategy();
        try (LocalCluster cluster = oneThread ?
            LocalCluster.launchOnOneThread(topology, (id) -> stores[id] = new KeyValueStateMachine()) :
            LocalCluster.launch(topology, (id) -> stores[id] = new KeyValueStateMachine()))
        {
            cluster.awaitConnected(Duration.ofSeconds(20));
            try (KeyValueWorkload workload = new KeyValueWorkload(cluster.aeron(), topology.clientEndpoints(),
                4 * replicas, conflict, 0.25, 8, 42, TimeUnit.SECONDS.toNanos(2), history))
            {
                workload.awaitConnected(TimeUnit.SECONDS.toNanos(20), idle);
                workload.run(COMMANDS, TimeUnit.MINUTES.toNanos(3), TimeUnit.SECONDS.toNanos(10), idle, null);
                assertEquals(COMMANDS, workload.completed(), "answered commands");
                StabilityWaitCounters.assertPublished(cluster, protocol);
            }
            awaitSameExecutedCount(cluster, Duration.ofSeconds(30));
            assertEquals(0, cluster.errors(), "exceptions out of a replica's duty cycle");
        } // closing stops every replica thread: their state machines are ours to read from here on

        for (int id = 1; id < replicas; id++)
        {
            assertEquals(stores[0].size(), stores[id].size(), "keys at replica " + id + " vs 0");
            assertEquals(stores[0].fingerprint(), stores[id].fingerprint(), "state of replica " + id + " vs 0");
        }
        final LinearizabilityChecker.Result result = LinearizabilityChecker.check(history);
        assertTrue(result.ok(), () -> "history of " + history.size() + " operations: " + result);
    }

    static void awaitSameExecutedCount(final LocalCluster cluster, final Duration timeout)
    {
        final CountersReader counters = cluster.aeron().countersReader();
        final int replicas = cluster.topology().replicaCount();
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            final long first = ReplicaCounters.read(counters, 0, ReplicaCounter.COMMANDS_EXECUTED);
            boolean same = first > 0;
            for (int id = 1; id < replicas && same; id++)
            {
                same = ReplicaCounters.read(counters, id, ReplicaCounter.COMMANDS_EXECUTED) == first;
            }
            if (same)
            {
                return;
            }
            if (System.nanoTime() - deadlineNs > 0)
            {
                final StringBuilder counts = new StringBuilder();
                for (int id = 0; id < replicas; id++)
                {
                    counts.append(' ').append(ReplicaCounters.read(counters, id, ReplicaCounter.COMMANDS_EXECUTED));
                }
                throw new AssertionError("replicas did not converge within " + timeout + "; executed:" + counts);
            }
            Thread.yield();
        }
    }
}
