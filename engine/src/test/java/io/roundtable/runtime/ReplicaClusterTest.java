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
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

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
    private static final long QUIET_NS = TimeUnit.MILLISECONDS.toNanos(300);

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
                PublishedCounters.assertPublished(cluster, protocol);
                PublishedCounters.assertDutyCyclesTracked(cluster);
            }
            awaitSameExecutedCount(cluster, COMMANDS, Duration.ofSeconds(30));
            assertEquals(0, cluster.errors(), "exceptions out of a replica's duty cycle");
        } // closing stops every replica thread: their state machines are ours to read from here on

        for (int id = 1; id < replicas; id++)
        {
            assertEquals(stores[0].size(), stores[id].size(), "keys at replica " + id + " vs 0");
            final int replica = id;
            assertEquals(stores[0].fingerprint(), stores[replica].fingerprint(),
                () -> "state of replica " + replica + " vs 0: " + stores[0].describeDifference(stores[replica]));
        }
        final LinearizabilityChecker.Result result = LinearizabilityChecker.check(history);
        assertTrue(result.ok(), () -> "history of " + history.size() + " operations: " + result);
    }

    /**
     * Waits until every replica has executed the same number of commands, at least {@code atLeast}, and that number
     * has stayed put for {@link #QUIET_NS}. Equality alone is not enough: two replicas still catching up can pass
     * through the same count at the same moment with different commands executed, and a state compared then differs.
     */
    static void awaitSameExecutedCount(final LocalCluster cluster, final long atLeast, final Duration timeout)
    {
        final CountersReader counters = cluster.aeron().countersReader();
        final int replicas = cluster.topology().replicaCount();
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        final long[] executed = new long[replicas];
        long agreedCount = -1;
        long agreedSinceNs = 0;
        while (true)
        {
            for (int id = 0; id < replicas; id++)
            {
                executed[id] = ReplicaCounters.read(counters, id, ReplicaCounter.COMMANDS_EXECUTED);
            }
            final long nowNs = System.nanoTime();
            if (executed[0] >= atLeast && Arrays.stream(executed).allMatch((count) -> count == executed[0]))
            {
                if (executed[0] != agreedCount)
                {
                    agreedCount = executed[0];
                    agreedSinceNs = nowNs;
                }
                else if (nowNs - agreedSinceNs >= QUIET_NS)
                {
                    return;
                }
            }
            else
            {
                agreedCount = -1;
            }
            if (nowNs - deadlineNs > 0)
            {
                throw new AssertionError("replicas did not converge within " + timeout + "; executed: " +
                    Arrays.toString(executed) + ", expected at least " + atLeast + " each");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
