package io.roundtable.bench;

import io.roundtable.config.ProtocolName;
import io.roundtable.protocol.ProtocolFactory;
import io.roundtable.sim.DirectCluster;

/** Set-up and sanity check shared by the benchmarks that run whole protocols in a {@link DirectCluster}. */
final class InProcessClusters
{
    private InProcessClusters()
    {
    }

    /** N replicas of the named protocol, ticked until Multi-Paxos has elected its leader (the others just start). */
    static DirectCluster started(final String protocol, final int replicas)
    {
        final DirectCluster cluster = new DirectCluster(ProtocolFactory.of(ProtocolName.fromName(protocol)), replicas);
        for (int i = 0; i < 4; i++)
        {
            cluster.tick();
        }
        return cluster;
    }

    /**
     * After two more ticks every replica must have executed every command submitted: a benchmark whose protocol
     * stopped executing would report a meaningless rate, so it fails instead.
     */
    static void requireAllExecuted(
        final DirectCluster cluster, final String protocol, final long commands, final int replicas)
    {
        cluster.tick();
        cluster.tick();
        if (cluster.executedCommands() != commands * replicas)
        {
            throw new IllegalStateException(protocol + " executed " + cluster.executedCommands() + " of " +
                commands * replicas + " command executions");
        }
    }
}
