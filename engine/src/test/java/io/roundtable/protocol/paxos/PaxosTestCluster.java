package io.roundtable.protocol.paxos;

import io.roundtable.command.CommandBatchReader;
import io.roundtable.execution.CommandExecutor;
import io.roundtable.execution.GraphExecutor;
import io.roundtable.protocol.JournalSink;
import io.roundtable.protocol.StepCluster;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * N Multi-Paxos cores wired by hand for scenario tests over a {@link StepCluster} network: every sent message is
 * queued and the test decides which to deliver, drop, and in what order. Each replica has a graph executor and a
 * journal that outlives its core, so a restart replays exactly what was journaled (and must send nothing while it
 * does).
 */
final class PaxosTestCluster extends StepCluster
{
    static final int FORWARD = 90;
    static final int PREPARE = 91;
    static final int PROMISE = 92;
    static final int ACCEPT = 93;
    static final int ACCEPTED = 94;
    static final int CHOSEN = 95;
    static final int HEARTBEAT = 96;
    static final int NACK = 19;
    static final int PROGRESS = 40;
    static final long PHASE_TIMEOUT_NS = 1_000_000L;

    final class Node extends Endpoint implements JournalSink
    {
        final Paxos paxos;
        final GraphExecutor executor;
        /** Executed positions, in order, with the number of commands each batch held. */
        final List<Long> executed = new ArrayList<>();
        final Map<Long, byte[]> executedValues = new HashMap<>();
        final UnsafeBuffer view = new UnsafeBuffer(0, 0);

        Node(final int id)
        {
            super(id);
            this.executor = new GraphExecutor(1, 64, this::onExecute);
            this.paxos = new Paxos(id, nodes.length, faults, PHASE_TIMEOUT_NS, 42 + id, this, this,
                (dot, seq, deps, depsCount) -> executor.commit(dot, seq, deps, depsCount), promisePageBytes);
        }

        private void onExecute(final long dot)
        {
            if (!paxos.wrapCommands(dot, view))
            {
                throw new AssertionError("replica " + id + " executes " + dot + " without its value");
            }
            final byte[] value = new byte[view.capacity()];
            view.getBytes(0, value);
            executed.add(dot);
            executedValues.put(dot, value);
            paxos.onExecuted(dot);
        }

        int commandCountAt(final long position)
        {
            final byte[] value = executedValues.get(position);
            return value == null ? -1 : new CommandBatchReader().commandCount(new UnsafeBuffer(value), 0);
        }

        public void append(final DirectBuffer buffer, final int offset, final int length)
        {
            requireNotReplaying("journaled");
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            journals.get(id).add(bytes);
        }

        protected CommandExecutor executor()
        {
            return executor;
        }
    }

    final int faults;
    final int promisePageBytes;
    final Node[] nodes;
    final Map<Integer, List<byte[]>> journals = new HashMap<>();

    PaxosTestCluster(final int replicaCount)
    {
        this(replicaCount, PaxosPublisher.DEFAULT_PROMISE_PAGE_BYTES);
    }

    /** With Promises paged at {@code promisePageBytes}. */
    PaxosTestCluster(final int replicaCount, final int promisePageBytes)
    {
        super(replicaCount);
        this.promisePageBytes = promisePageBytes;
        this.faults = (replicaCount - 1) / 2;
        nodes = new Node[replicaCount];
        for (int i = 0; i < replicaCount; i++)
        {
            journals.put(i, new ArrayList<>());
            nodes[i] = new Node(i);
        }
    }

    Node node(final int id)
    {
        return nodes[id];
    }

    Paxos paxos(final int id)
    {
        return nodes[id].paxos;
    }

    /** Submits a one-command batch writing {@code key} at {@code replica}; returns its client request number. */
    long submit(final int replica, final long key)
    {
        final long request = nextClientRequest();
        nodes[replica].paxos.submit(batch, 0, encodeBatch(true, key));
        nodes[replica].execute();
        return request;
    }

    protected void onDeliver(final Message message)
    {
        final Node to = nodes[message.to];
        to.paxos.onMessage(message.from, new UnsafeBuffer(message.bytes), 0, message.bytes.length);
        to.execute();
    }

    /** A new core for the replica, rebuilt from its journal alone; its messages in flight are lost. */
    void restart(final int replica)
    {
        queue.removeIf(m -> m.to == replica || m.from == replica);
        crashed.remove(replica);
        final Node node = new Node(replica);
        node.replaying = true;
        for (final byte[] record : journals.get(replica))
        {
            node.paxos.replay(new UnsafeBuffer(record), 0, record.length);
        }
        node.replaying = false;
        node.execute();
        nodes[replica] = node;
    }

    void tickAll(final long nowNs)
    {
        this.nowNs = Math.max(this.nowNs, nowNs);
        for (final Node node : nodes)
        {
            if (!crashed.contains(node.id))
            {
                node.paxos.onTick(this.nowNs);
                node.execute();
            }
        }
    }

    /** Advances time in {@code stepNs} steps, ticking every live replica and delivering everything after each. */
    void run(final long stepNs, final long durationNs)
    {
        final long until = nowNs + durationNs;
        while (nowNs < until)
        {
            tickAll(nowNs + stepNs);
            deliverAll();
        }
    }
}
