package io.roundtable.runtime;

import io.aeron.Aeron;
import io.aeron.RethrowingErrorHandler;
import io.aeron.driver.MediaDriver;
import io.roundtable.config.ClusterTopology;
import io.roundtable.driver.MediaDriverPresets;
import io.roundtable.statemachine.StateMachine;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Every replica of a topology in this process, on one embedded SHARED media driver, each replica on its own thread:
 * replicas still talk to each other over real UDP through the driver. For trying Roundtable out on one machine
 * ({@code roundtable cluster}), for tests, and for benchmarks.
 */
public final class LocalCluster implements AutoCloseable
{
    private final ClusterTopology topology;
    private final IntFunction<StateMachine> stateMachines;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final ReplicaNode[] nodes;
    private final ReplicaAgent[] agents;
    private AgentRunner sharedRunner;
    private final AtomicLong sharedThreadErrors = new AtomicLong();

    private LocalCluster(
        final ClusterTopology topology, final IntFunction<StateMachine> stateMachines, final MediaDriver driver)
    {
        this.topology = topology;
        this.stateMachines = stateMachines;
        this.driver = driver;
        // An exception thrown while handling a fragment propagates out of poll, so it reaches the replica's error
        // handler and is counted by ReplicaNode.errors(), instead of only being printed by Aeron's default handler.
        this.aeron = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(driver.aeronDirectoryName())
            .subscriberErrorHandler(RethrowingErrorHandler.INSTANCE));
        this.nodes = new ReplicaNode[topology.replicaCount()];
        this.agents = new ReplicaAgent[topology.replicaCount()];
    }

    /**
     * Launches the driver and every replica.
     *
     * @param stateMachines a fresh state machine for replica {@code id} (also called again on {@link #restart}).
     */
    public static LocalCluster launch(
        final ClusterTopology topology, final IntFunction<StateMachine> stateMachines)
    {
        return launch(topology, stateMachines, MediaDriverPresets.DEFAULT_MTU_LENGTH);
    }

    /**
     * As {@link #launch(ClusterTopology, IntFunction)} with the driver's MTU set: on loopback (64 KiB MTU) a larger
     * one carries a batch's PreAccept or Commit in one datagram instead of several fragments.
     */
    public static LocalCluster launch(
        final ClusterTopology topology, final IntFunction<StateMachine> stateMachines, final int mtuLength)
    {
        return launch(topology, stateMachines, mtuLength, false);
    }

    /**
     * As {@link #launch}, but every replica runs on one thread (a {@link CompositeAgent} under one
     * {@link AgentRunner}): on a machine with fewer cores than replicas, one busy thread instead of N that keep
     * parking and waking each other. Replicas still talk over UDP through the driver. Individual replicas cannot be
     * stopped or restarted in this mode.
     */
    public static LocalCluster launchOnOneThread(
        final ClusterTopology topology, final IntFunction<StateMachine> stateMachines)
    {
        return launchOnOneThread(topology, stateMachines, MediaDriverPresets.DEFAULT_MTU_LENGTH);
    }

    /** As {@link #launchOnOneThread(ClusterTopology, IntFunction)} with the driver's MTU set. */
    public static LocalCluster launchOnOneThread(
        final ClusterTopology topology, final IntFunction<StateMachine> stateMachines, final int mtuLength)
    {
        return launch(topology, stateMachines, mtuLength, true);
    }

    private static LocalCluster launch(
        final ClusterTopology topology, final IntFunction<StateMachine> stateMachines, final int mtuLength,
        final boolean oneThread)
    {
        final MediaDriver driver = MediaDriver.launchEmbedded(
            MediaDriverPresets.shared().idleStrategy(topology.idleStrategy()).mtuLength(mtuLength).build());
        LocalCluster cluster = null;
        try
        {
            cluster = new LocalCluster(topology, stateMachines, driver);
            if (oneThread)
            {
                cluster.startOnOneThread();
            }
            else
            {
                for (int id = 0; id < topology.replicaCount(); id++)
                {
                    cluster.restart(id);
                }
            }
            return cluster;
        }
        catch (final RuntimeException ex)
        {
            if (null != cluster)
            {
                cluster.close();
            }
            else
            {
                CloseHelper.close(driver);
            }
            throw ex;
        }
    }

    private void startOnOneThread()
    {
        for (int id = 0; id < topology.replicaCount(); id++)
        {
            agents[id] = ReplicaNode.agent(topology, id, aeron, stateMachines.apply(id));
        }
        sharedRunner = new AgentRunner(topology.idleStrategy().newIdleStrategy(), (throwable) ->
        {
            sharedThreadErrors.incrementAndGet();
            throwable.printStackTrace();
        }, null, new CompositeAgent(agents));
        AgentRunner.startOnThread(sharedRunner);
    }

    /** Waits until every running replica is connected to every other one both ways. */
    public void awaitConnected(final Duration timeout)
    {
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        for (int id = 0; id < nodes.length; id++)
        {
            final ReplicaAgent agent = null != nodes[id] ? nodes[id].agent() : agents[id];
            while (null != agent && !agent.peersConnected())
            {
                if (System.nanoTime() - deadlineNs > 0)
                {
                    throw new IllegalStateException("replica " + id + " did not connect to its peers within " +
                        timeout);
                }
                Thread.onSpinWait();
                Thread.yield();
            }
        }
    }

    /** Stops replica {@code id}'s thread; its journal stays on disk. */
    public void stop(final int id)
    {
        requireThreadPerReplica();
        CloseHelper.close(nodes[id]);
        nodes[id] = null;
    }

    /** Starts replica {@code id} (again) with a fresh state machine, rebuilt from its journal. */
    public void restart(final int id)
    {
        requireThreadPerReplica();
        if (null != nodes[id])
        {
            throw new IllegalStateException("replica " + id + " is running");
        }
        nodes[id] = ReplicaNode.start(topology, id, aeron, stateMachines.apply(id));
    }

    private void requireThreadPerReplica()
    {
        if (null != sharedRunner)
        {
            throw new IllegalStateException("replicas sharing one thread cannot be stopped or restarted one by one");
        }
    }

    /** Exceptions that escaped any replica's duty cycle so far (there should be none). */
    public long errors()
    {
        long errors = sharedThreadErrors.get();
        for (final ReplicaNode node : nodes)
        {
            errors += null == node ? 0 : node.errors();
        }
        return errors;
    }

    public ReplicaNode node(final int id)
    {
        return nodes[id];
    }

    /** The Aeron client the replicas use; clients in this process may share it. */
    public Aeron aeron()
    {
        return aeron;
    }

    public String aeronDirectoryName()
    {
        return driver.aeronDirectoryName();
    }

    public ClusterTopology topology()
    {
        return topology;
    }

    public void close()
    {
        for (int id = 0; id < nodes.length; id++)
        {
            CloseHelper.quietClose(nodes[id]);
            nodes[id] = null;
        }
        CloseHelper.quietClose(sharedRunner);
        CloseHelper.closeAll(aeron, driver);
    }
}
