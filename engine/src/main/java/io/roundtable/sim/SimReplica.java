package io.roundtable.sim;

import io.roundtable.command.CommandBatchReader;
import io.roundtable.command.KeySet;
import io.roundtable.execution.GraphExecutor;
import io.roundtable.journal.InMemoryJournal;
import io.roundtable.protocol.Outbox;
import io.roundtable.protocol.Protocol;
import io.roundtable.statemachine.KeyValueStateMachine;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One simulated replica: a protocol core, its executor and key-value state machine, and an in-memory journal, wired
 * to the simulated network. Execution runs after every input, as the runtime's duty cycle will.
 */
final class SimReplica implements Outbox
{
    private static final int EXECUTION_WORK_LIMIT = 10_000;

    final int id;
    final Protocol protocol;
    final GraphExecutor executor;
    final InMemoryJournal journal = new InMemoryJournal();
    private final Simulation simulation;
    private final KeyValueStateMachine stateMachine = new KeyValueStateMachine();
    private final ExpandableArrayBuffer sendBuffer = new ExpandableArrayBuffer(4096);
    private final ExpandableArrayBuffer resultBuffer = new ExpandableArrayBuffer(256);
    private final UnsafeBuffer commandsView = new UnsafeBuffer(0, 0);
    private final CommandBatchReader batchReader = new CommandBatchReader();
    private final KeySet keys = new KeySet();
    private final CommandBatchReader.CommandConsumer applier = this::apply;
    long executedCommands;

    SimReplica(final int id, final Simulation simulation, final ProtocolFactory factory, final SimulationConfig config)
    {
        this.id = id;
        this.simulation = simulation;
        this.executor = new GraphExecutor(config.replicas, 1024, this::onExecute);
        this.protocol = factory.create(
            id, config.replicas, simulation.latency().peersByDistance(id), config.phaseTimeoutNs, this, journal,
            (dot, seq, deps, depsCount) ->
            {
                protocol().wrapCommands(dot, commandsView);
                simulation.agreement().onCommit(id, dot, seq, deps, depsCount, commandsView, 0, commandsView.capacity());
                executor.commit(dot, seq, deps, depsCount);
            });
    }

    private Protocol protocol()
    {
        return protocol;
    }

    void onMessage(final int from, final DirectBuffer buffer, final int offset, final int length)
    {
        protocol.onMessage(from, buffer, offset, length);
        execute();
    }

    void onTick(final long nowNs)
    {
        protocol.onTick(nowNs);
        execute();
    }

    void submit(final DirectBuffer batch, final int offset, final int length)
    {
        protocol.submit(batch, offset, length);
        execute();
    }

    private void execute()
    {
        while (executor.execute(EXECUTION_WORK_LIMIT) > 0)
        {
            // keep going until the executor has nothing runnable
        }
    }

    private void onExecute(final long dot)
    {
        if (!protocol.wrapCommands(dot, commandsView))
        {
            throw new IllegalStateException("replica " + id + " executes " + dot + " without its commands");
        }
        batchReader.readKeys(commandsView, 0, commandsView.capacity(), keys);
        simulation.executionOrder().onExecute(id, dot, keys);
        batchReader.forEachCommand(commandsView, 0, applier);
        protocol.onExecuted(dot);
    }

    private void apply(
        final long clientId, final long requestNumber, final boolean write,
        final DirectBuffer payload, final int offset, final int length)
    {
        final int resultLength = stateMachine.apply(clientId, requestNumber, payload, offset, length, resultBuffer, 0);
        executedCommands++;
        simulation.onApplied(id, clientId, requestNumber, resultBuffer, 0, resultLength);
    }

    public MutableDirectBuffer buffer()
    {
        return sendBuffer;
    }

    public void send(final int toReplica, final int length)
    {
        simulation.send(id, toReplica, sendBuffer, length);
    }

    public void sendToAll(final int length)
    {
        for (int to = 0; to < simulation.replicaCount(); to++)
        {
            if (to != id)
            {
                simulation.send(id, to, sendBuffer, length);
            }
        }
    }
}
