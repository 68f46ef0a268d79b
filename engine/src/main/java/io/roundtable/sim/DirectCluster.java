package io.roundtable.sim;

import io.roundtable.command.CommandBatchReader;
import io.roundtable.execution.CommandExecutor;
import io.roundtable.protocol.DecisionObserver;
import io.roundtable.protocol.JournalSink;
import io.roundtable.protocol.Outbox;
import io.roundtable.protocol.Protocol;
import io.roundtable.protocol.ProtocolContext;
import io.roundtable.protocol.ProtocolFactory;
import io.roundtable.protocol.ReplicaCore;
import io.roundtable.protocol.epaxos.Epaxos;
import io.roundtable.statemachine.KeyValueStateMachine;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * N pure protocol cores (any {@link ProtocolFactory}, EPaxos by default) in one thread, wired by a preallocated FIFO
 * message queue with no delays or faults: the whole path of a command (submit, every protocol message, commit,
 * execution, state machine) without I/O. For
 * allocation and CPU measurements (JMH) and long memory-flatness runs, where the simulator's event objects and
 * checkers would dominate. Allocation-free once warm.
 */
public final class DirectCluster
{
    private static final int QUEUE_CAPACITY = 4096;

    private final Node[] nodes;
    private long nowNs;
    /**
     * Every queued message, back to back: one buffer that grows to the largest burst once, where a buffer per queue
     * slot would keep allocating for as long as big messages (Tempo's promises, batches of 256) reach fresh slots.
     */
    private final ExpandableArrayBuffer queuedBytes = new ExpandableArrayBuffer(64 * 1024);
    private final int[] queuedOffset = new int[QUEUE_CAPACITY];
    private final int[] queuedFrom = new int[QUEUE_CAPACITY];
    private final int[] queuedTo = new int[QUEUE_CAPACITY];
    private final int[] queuedLength = new int[QUEUE_CAPACITY];
    private int head;
    private int tail;
    private int writeOffset;
    private long executedCommands;

    private final class Node implements Outbox, JournalSink
    {
        final int id;
        final Protocol protocol;
        final CommandExecutor executor;
        final KeyValueStateMachine stateMachine = new KeyValueStateMachine();
        final ExpandableArrayBuffer sendBuffer = new ExpandableArrayBuffer(1024);
        final ExpandableArrayBuffer resultBuffer = new ExpandableArrayBuffer(128);
        final UnsafeBuffer commandsView = new UnsafeBuffer(0, 0);
        final CommandBatchReader reader = new CommandBatchReader();
        final CommandBatchReader.CommandConsumer applier = this::apply;
        long journalBytes;

        Node(final ProtocolFactory factory, final int id, final int replicaCount)
        {
            this.id = id;
            final int[] peers = new int[replicaCount - 1];
            for (int i = 0, peer = 0; peer < replicaCount; peer++)
            {
                if (peer != id)
                {
                    peers[i++] = peer;
                }
            }
            final ReplicaCore core = factory.create(new ProtocolContext(id, replicaCount,
                factory.defaultFaults(replicaCount), peers, PHASE_TIMEOUT_NS, this, this, this::onExecute,
                DecisionObserver.NONE));
            this.protocol = core.protocol();
            this.executor = core.executor();
        }

        private void onExecute(final long dot)
        {
            protocol.wrapCommands(dot, commandsView);
            reader.forEachCommand(commandsView, 0, applier);
            protocol.onExecuted(dot);
        }

        private void apply(
            final long clientId, final long requestNumber, final boolean write,
            final DirectBuffer payload, final int offset, final int length)
        {
            stateMachine.apply(clientId, requestNumber, payload, offset, length, resultBuffer, 0);
            executedCommands++;
        }

        public MutableDirectBuffer buffer()
        {
            return sendBuffer;
        }

        public void send(final int toReplica, final int length)
        {
            enqueue(id, toReplica, sendBuffer, length);
        }

        public void sendToAll(final int length)
        {
            for (int to = 0; to < nodes.length; to++)
            {
                if (to != id)
                {
                    enqueue(id, to, sendBuffer, length);
                }
            }
        }

        public void append(final DirectBuffer buffer, final int offset, final int length)
        {
            journalBytes += length;
        }
    }

    /** Virtual time advanced by {@link #tick}; long enough that no phase ever times out between ticks. */
    private static final long PHASE_TIMEOUT_NS = 1_000_000_000L;

    /** N EPaxos replicas. */
    public DirectCluster(final int replicaCount)
    {
        this(ProtocolFactory.EPAXOS, replicaCount);
    }

    /** N replicas of the protocol {@code factory} builds, with its default f. */
    public DirectCluster(final ProtocolFactory factory, final int replicaCount)
    {
        factory.checkClusterSize(replicaCount, factory.defaultFaults(replicaCount));
        nodes = new Node[replicaCount];
        for (int i = 0; i < replicaCount; i++)
        {
            nodes[i] = new Node(factory, i, replicaCount);
        }
    }

    public void submit(final int replica, final DirectBuffer batch, final int length)
    {
        nodes[replica].protocol.submit(batch, 0, length);
        nodes[replica].protocol.endOfInput();
    }

    /** Delivers queued messages (and the ones they cause) until the network is quiet, executing after each. */
    public void deliverAll()
    {
        while (head != tail)
        {
            final int index = head;
            head = (head + 1) % QUEUE_CAPACITY;
            final Node to = nodes[queuedTo[index]];
            to.protocol.onMessage(queuedFrom[index], queuedBytes, queuedOffset[index], queuedLength[index]);
            to.protocol.endOfInput();
            while (to.executor.execute(1024) > 0)
            {
                // drain runnable commands
            }
        }
        writeOffset = 0; // only now: the last message was being handled while head == tail
    }

    /** Advances virtual time by half a phase timeout and ticks every replica (Progress, garbage collection). */
    public void tick()
    {
        nowNs += PHASE_TIMEOUT_NS / 2;
        for (final Node node : nodes)
        {
            node.protocol.onTick(nowNs);
        }
        deliverAll();
    }

    public long executedCommands()
    {
        return executedCommands;
    }

    /** Replica {@code id}'s core, for a cluster built over EPaxos. */
    public Epaxos replica(final int id)
    {
        return (Epaxos)nodes[id].protocol;
    }

    public Protocol protocol(final int id)
    {
        return nodes[id].protocol;
    }

    private void enqueue(final int from, final int to, final DirectBuffer buffer, final int length)
    {
        final int next = (tail + 1) % QUEUE_CAPACITY;
        if (next == head)
        {
            throw new IllegalStateException("in-memory queue full: deliver more often");
        }
        queuedBytes.putBytes(writeOffset, buffer, 0, length);
        queuedOffset[tail] = writeOffset;
        writeOffset += length;
        queuedFrom[tail] = from;
        queuedTo[tail] = to;
        queuedLength[tail] = length;
        tail = next;
    }
}
