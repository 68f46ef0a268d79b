package io.roundtable.runtime;

import io.aeron.Aeron;
import io.roundtable.config.ClusterTopology;
import io.roundtable.config.JournalFlush;
import io.roundtable.journal.ChronicleJournal;
import io.roundtable.protocol.ProtocolFactory;
import io.roundtable.statemachine.StateMachine;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One replica of a {@link ClusterTopology} running on its own thread: its Chronicle Queue journal (in the
 * topology's {@code journal.dir/replica-<id>}), a {@link ReplicaAgent} and the {@link AgentRunner} with the
 * topology's idle strategy. Closing it stops the thread and closes the journal; starting it again replays the
 * journal.
 */
public final class ReplicaNode implements AutoCloseable
{
    private final ReplicaAgent agent;
    private final AgentRunner runner;
    private final AtomicLong errors = new AtomicLong();

    private ReplicaNode(final ReplicaAgent agent, final ClusterTopology topology)
    {
        this.agent = agent;
        final ErrorHandler errorHandler = (throwable) ->
        {
            errors.incrementAndGet();
            System.err.println("replica " + agent.replicaId() + ": " + throwable);
            throwable.printStackTrace();
        };
        this.runner = new AgentRunner(topology.idleStrategy().newIdleStrategy(), errorHandler, null, agent);
    }

    /** Opens replica {@code id}'s journal and starts it on a new thread, talking through {@code aeron}. */
    public static ReplicaNode start(
        final ClusterTopology topology, final int id, final Aeron aeron, final StateMachine stateMachine)
    {
        final ReplicaNode node = new ReplicaNode(agent(topology, id, aeron, stateMachine), topology);
        AgentRunner.startOnThread(node.runner);
        return node;
    }

    /** Replica {@code id}'s agent with its journal opened, not yet running: for callers that run it themselves. */
    public static ReplicaAgent agent(
        final ClusterTopology topology, final int id, final Aeron aeron, final StateMachine stateMachine)
    {
        final ProtocolFactory protocol = ProtocolFactory.of(topology); // before opening anything: it may refuse
        final ChronicleJournal journal = new ChronicleJournal(topology.journalDirectory(id),
            topology.journalFlush() == JournalFlush.PER_BATCH ?
                ChronicleJournal.FlushPolicy.PER_BATCH : ChronicleJournal.FlushPolicy.NONE);
        try
        {
            final ReplicaContext context = new ReplicaContext();
            if (null != topology.emulatedDelaysNs(id))
            {
                context.emulatedDelaysNs(topology.emulatedDelaysNs(id));
            }
            return new ReplicaAgent(context
                .aeron(aeron)
                .replicaId(id)
                .peerEndpoints(topology.peerEndpoints())
                .clientEndpoint(topology.clientEndpoint(id))
                .protocol(protocol)
                .faults(topology.faults())
                .phaseTimeoutNs(topology.phaseTimeoutNs())
                .maxBatchCommands(topology.maxBatchCommands())
                .checkpointIntervalBytes((long)topology.checkpointMb() << 20)
                .stateMachine(stateMachine)
                .journal(journal));
        }
        catch (final RuntimeException ex)
        {
            journal.close();
            throw ex;
        }
    }

    public ReplicaAgent agent()
    {
        return agent;
    }

    public int replicaId()
    {
        return agent.replicaId();
    }

    /** Exceptions that escaped a duty cycle (there should be none). */
    public long errors()
    {
        return errors.get();
    }

    public boolean peersConnected()
    {
        return agent.peersConnected();
    }

    /** Stops the agent thread (waits for it) and closes the journal and the agent's publications. */
    public void close()
    {
        runner.close();
    }
}
