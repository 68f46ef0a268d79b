package io.roundtable.bench.cluster;

import io.roundtable.config.ClusterTopology;
import io.roundtable.runtime.LocalCluster;

import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;

/**
 * The {@code straggler-switch} scenario (seed 001's): on 3 replicas, one is slow for the whole window (each message
 * it sends is held {@link #STRAGGLER_DELAY_MS} ms), and another is stopped half way through. Before the stop, quorums
 * can leave the straggler out (thrifty quorums route around it, Multi-Paxos's leader needs only the fastest
 * follower); after it, every quorum must include the straggler, which also has to catch up, and the clients of the
 * stopped replica fail over. The timeline shows what the switch costs in latency and in messages per command.
 */
final class StragglerSwitch implements ClusterDisturbance
{
    static final int STRAGGLER = 1;
    static final int STOPPED = 2;
    static final long STRAGGLER_DELAY_MS = 20;

    private final long stopAtSecond;

    StragglerSwitch(final long measuredSeconds)
    {
        this.stopAtSecond = Math.max(1, measuredSeconds / 2);
    }

    public ClusterTopology shape(final ClusterTopology topology)
    {
        final int n = topology.replicaCount();
        final long[][] delays = new long[n][n];
        for (int peer = 0; peer < n; peer++)
        {
            delays[STRAGGLER][peer] = peer == STRAGGLER ? 0 : TimeUnit.MILLISECONDS.toNanos(STRAGGLER_DELAY_MS);
        }
        return topology.withEmulatedDelaysNs(delays);
    }

    public void start(final LocalCluster cluster, final PrintWriter log)
    {
        log.printf("    replica %d straggles (+%d ms per message); replica %d stops after %d s%n",
            STRAGGLER, STRAGGLER_DELAY_MS, STOPPED, stopAtSecond);
    }

    public long eventSecond()
    {
        return stopAtSecond;
    }

    public String eventLabel()
    {
        return "replica " + STOPPED + " stopped";
    }

    public void onSecond(final LocalCluster cluster, final long second, final PrintWriter log)
    {
        if (second == stopAtSecond)
        {
            cluster.stop(STOPPED);
            log.printf("    [%2d s] replica %d stopped%n", second, STOPPED);
            log.flush();
        }
    }
}
