package io.roundtable.sim;

import io.roundtable.protocol.ProtocolFactory;
import io.roundtable.checkpoint.Checkpointer;
import io.roundtable.command.CommandBatchReader;
import io.roundtable.command.KeySet;
import io.roundtable.execution.CommandExecutor;
import io.roundtable.journal.InMemoryJournal;
import io.roundtable.protocol.DecisionObserver;
import io.roundtable.protocol.Outbox;
import io.roundtable.protocol.Protocol;
import io.roundtable.protocol.ProtocolContext;
import io.roundtable.protocol.ReplicaCore;
import io.roundtable.statemachine.DeduplicatingStateMachine;
import io.roundtable.statemachine.KeyValueCommands;
import io.roundtable.statemachine.KeyValueStateMachine;
import io.roundtable.statemachine.StateMachine;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.LongConsumer;

/**
 * Everything of a replica that a crash destroys: the protocol core, the executor, the state machine and the output of
 * the event being handled. Only the journal outlives it (it belongs to {@link SimReplica}). A new incarnation is
 * rebuilt from the journal by {@link #replayJournal()} before it handles anything else.
 */
final class ReplicaIncarnation implements Outbox, DecisionObserver
{
    private static final int EXECUTION_WORK_LIMIT = 10_000;

    final Protocol protocol;
    private final int id;
    private final int number;
    private final Simulation simulation;
    private final InMemoryJournal journal;
    private final CommandExecutor executor;
    private final KeyValueStateMachine store = new KeyValueStateMachine();
    private final LongHashSet appliedRequests = new LongHashSet();
    private final DeduplicatingStateMachine stateMachine = new DeduplicatingStateMachine(new CheckedStore());
    private final PendingOutput output = new PendingOutput();
    private final ExpandableArrayBuffer sendBuffer = new ExpandableArrayBuffer(4096);
    private final ExpandableArrayBuffer resultBuffer = new ExpandableArrayBuffer(256);
    private final UnsafeBuffer commandsView = new UnsafeBuffer(0, 0);
    private final CommandBatchReader batchReader = new CommandBatchReader();
    private final KeySet keys = new KeySet();
    private final CommandBatchReader.CommandConsumer applier = this::apply;
    // held in fields: a lambda or method reference made per tick or per replay would allocate each time
    private final LongConsumer missingDependency;
    private final Checkpointer checkpointer;
    private final int checkpointEveryRecords;
    private int recordsAtCheckpoint;
    private boolean replaying;

    ReplicaIncarnation(
        final int id, final int number, final Simulation simulation, final ProtocolFactory factory,
        final SimulationConfig config, final InMemoryJournal journal)
    {
        this.id = id;
        this.number = number;
        this.simulation = simulation;
        this.journal = journal;
        final ReplicaCore core = factory.create(new ProtocolContext(id, config.replicas,
            config.toleratedFaults() >= 0 ? config.toleratedFaults() : factory.defaultFaults(config.replicas),
            simulation.latency().peersByDistance(id), config.phaseTimeoutNs, this, journal, this::onExecute, this));
        this.protocol = core.protocol();
        this.executor = core.executor();
        this.missingDependency = protocol::onMissingDependency;
        this.checkpointer = new Checkpointer(journal, protocol, executor, stateMachine);
        this.checkpointEveryRecords = config.checkpointEveryRecords;
    }

    /**
     * Rebuilds the state from the journal: the checkpoint it starts with, if any, then every record in order, then
     * everything that became runnable executes. Nothing reaches the network or a client before it is complete
     * (output is held until the event ends).
     */
    void replayJournal()
    {
        replaying = true;
        checkpointer.replay();
        replaying = false;
        recordsAtCheckpoint = journal.recordCount();
        execute();
    }

    /** Checkpoints if enough was journaled since the last one, as the runtime does on its timer; true if it did. */
    boolean checkpointIfDue()
    {
        if (checkpointEveryRecords == 0 || journal.recordCount() - recordsAtCheckpoint < checkpointEveryRecords)
        {
            return false;
        }
        checkpointer.take(0);
        recordsAtCheckpoint = journal.recordCount();
        return true;
    }

    void onMessage(final int from, final DirectBuffer buffer, final int offset, final int length)
    {
        protocol.onMessage(from, buffer, offset, length);
        protocol.endOfInput();
        execute();
    }

    void onTick(final long nowNs)
    {
        protocol.onTick(nowNs);
        executor.forEachMissingDependency(missingDependency);
        execute();
    }

    void submit(final DirectBuffer batch, final int offset, final int length)
    {
        protocol.submit(batch, offset, length);
        protocol.endOfInput();
        execute();
    }

    PendingOutput output()
    {
        return output;
    }

    /** The key-value store itself, beneath deduplication: for tests that must tamper with a replica's state. */
    KeyValueStateMachine store()
    {
        return store;
    }

    long duplicatesSkipped()
    {
        return stateMachine.duplicatesSkipped();
    }

    /**
     * Reads {@code key} straight from the store, bypassing replication and deduplication (a GET changes nothing), so
     * the end-of-run check can compare replicas' states; returns the encoded result's length.
     */
    int readState(
        final long key, final KeyValueCommands kv, final ExpandableArrayBuffer query, final MutableDirectBuffer result)
    {
        final int length = kv.get(query, 0, key);
        return store.apply(-1, 0, query, 0, length, result, 0);
    }

    private void execute()
    {
        while (executor.execute(EXECUTION_WORK_LIMIT) > 0)
        {
            // keep going until the executor has nothing runnable
        }
    }

    /** Every decision goes to the agreement checker (the core hands it to the executor itself). */
    public void onDecided(final long dot, final long order, final long[] deps, final int depsCount)
    {
        protocol.wrapCommands(dot, commandsView);
        simulation.agreement().onCommit(id, dot, order, deps, depsCount, commandsView, 0, commandsView.capacity());
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
        if (!appliedRequests.contains(requestId(clientId, requestNumber)))
        {
            simulation.onSafetyViolation("replica " + id + " (incarnation " + number + ") executed request " +
                requestNumber + " of client " + clientId + " but never applied it");
        }
        output.reply(clientId, requestNumber, resultBuffer, 0, resultLength);
    }

    /**
     * What reaches the store beneath deduplication: exactly once per request an incarnation executes (a replica that
     * skips a request it never applied diverges; one that applies a retry again breaks linearizability). Its snapshot
     * carries the requests applied so far, so an incarnation restored from a checkpoint knows them too.
     */
    private final class CheckedStore implements StateMachine
    {
        public int apply(
            final long clientId, final long requestNumber, final DirectBuffer payload, final int payloadOffset,
            final int payloadLength, final MutableDirectBuffer result, final int resultOffset)
        {
            if (!appliedRequests.add(requestId(clientId, requestNumber)))
            {
                simulation.onSafetyViolation("replica " + id + " (incarnation " + number + ") applied request " +
                    requestNumber + " of client " + clientId + " twice");
            }
            return store.apply(clientId, requestNumber, payload, payloadOffset, payloadLength, result, resultOffset);
        }

        public int snapshot(final MutableDirectBuffer out, final int offset)
        {
            out.putInt(offset, appliedRequests.size());
            int position = offset + Integer.BYTES;
            final LongHashSet.LongIterator requests = appliedRequests.iterator();
            while (requests.hasNext())
            {
                out.putLong(position, requests.nextValue());
                position += Long.BYTES;
            }
            return position - offset + store.snapshot(out, position);
        }

        public void restore(final DirectBuffer snapshot, final int offset, final int length)
        {
            appliedRequests.clear();
            final int count = snapshot.getInt(offset);
            int position = offset + Integer.BYTES;
            for (int i = 0; i < count; i++)
            {
                appliedRequests.add(snapshot.getLong(position));
                position += Long.BYTES;
            }
            store.restore(snapshot, position, length - (position - offset));
        }
    }

    /** The simulator's clients number themselves from 0 and their requests from 1, both far below 2^32. */
    private static long requestId(final long clientId, final long requestNumber)
    {
        return clientId << 32 | requestNumber;
    }

    public MutableDirectBuffer buffer()
    {
        return sendBuffer;
    }

    public void send(final int toReplica, final int length)
    {
        hold(toReplica, length);
    }

    public void sendToAll(final int length)
    {
        for (int to = 0; to < simulation.replicaCount(); to++)
        {
            if (to != id)
            {
                hold(to, length);
            }
        }
    }

    private void hold(final int toReplica, final int length)
    {
        if (replaying)
        {
            // Protocol.replay only rebuilds state: a message now would reveal promises before the rest is restored.
            simulation.onSafetyViolation("replica " + id + " (incarnation " + number + ") sent a message to replica " +
                toReplica + " while replaying its journal");
        }
        output.message(toReplica, sendBuffer, length);
    }
}
