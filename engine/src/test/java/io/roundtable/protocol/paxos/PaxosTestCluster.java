package io.roundtable.protocol.paxos;

import io.roundtable.command.CommandBatchReader;
import io.roundtable.command.CommandBatchWriter;
import io.roundtable.execution.GraphExecutor;
import io.roundtable.protocol.JournalSink;
import io.roundtable.protocol.Outbox;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * N Multi-Paxos cores wired by hand for scenario tests: every sent message is queued and the test decides which to
 * deliver, drop, and in what order. Each replica has a graph executor and a journal that outlives its core, so a
 * restart replays exactly what was journaled (and must send nothing while it does).
 */
final class PaxosTestCluster
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

    static final class Message
    {
        final int from;
        final int to;
        final int templateId;
        final byte[] bytes;

        Message(final int from, final int to, final byte[] bytes)
        {
            this.from = from;
            this.to = to;
            this.bytes = bytes;
            this.templateId = new UnsafeBuffer(bytes).getShort(2) & 0xFFFF;
        }

        /** Log position of an Accept, Accepted or Chosen (ballot, then position, after the header). */
        long position()
        {
            return new UnsafeBuffer(bytes).getLong(8 + 8);
        }

        public String toString()
        {
            return "template " + templateId + " " + from + "->" + to;
        }
    }

    final class Node implements Outbox, JournalSink
    {
        final int id;
        final Paxos paxos;
        final GraphExecutor executor;
        /** Executed positions, in order, with the number of commands each batch held. */
        final List<Long> executed = new ArrayList<>();
        final Map<Long, byte[]> executedValues = new HashMap<>();
        final ExpandableArrayBuffer sendBuffer = new ExpandableArrayBuffer(1024);
        final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        boolean replaying;

        Node(final int id)
        {
            this.id = id;
            this.executor = new GraphExecutor(1, 64, this::onExecute);
            this.paxos = new Paxos(id, nodes.length, faults, PHASE_TIMEOUT_NS, 42 + id, this, this,
                (dot, seq, deps, depsCount) -> executor.commit(dot, seq, deps, depsCount));
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

        public MutableDirectBuffer buffer()
        {
            return sendBuffer;
        }

        public void send(final int toReplica, final int length)
        {
            if (replaying)
            {
                throw new AssertionError("replica " + id + " sent while replaying its journal");
            }
            if (crashed.contains(id))
            {
                return;
            }
            final byte[] bytes = new byte[length];
            sendBuffer.getBytes(0, bytes);
            queue.add(new Message(id, toReplica, bytes));
        }

        public void sendToAll(final int length)
        {
            for (int to = 0; to < nodes.length; to++)
            {
                if (to != id)
                {
                    send(to, length);
                }
            }
        }

        public void append(final DirectBuffer buffer, final int offset, final int length)
        {
            if (replaying)
            {
                throw new AssertionError("replica " + id + " journaled while replaying its journal");
            }
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            journals.get(id).add(bytes);
        }

        void execute()
        {
            while (executor.execute(1000) > 0)
            {
                // drain
            }
        }
    }

    final int faults;
    final Node[] nodes;
    final Set<Integer> crashed = new HashSet<>();
    final List<Message> queue = new ArrayList<>();
    final Map<Integer, List<byte[]>> journals = new HashMap<>();
    long nowNs;
    private final CommandBatchWriter batchWriter = new CommandBatchWriter();
    private final ExpandableArrayBuffer batch = new ExpandableArrayBuffer(256);
    private long nextClientRequest = 1;

    PaxosTestCluster(final int replicaCount)
    {
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
        final long request = nextClientRequest++;
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[] {1, 2, 3});
        batchWriter.begin(batch, 0, 1).add(7, request, true, new long[] {key}, 1, payload, 0, 3);
        nodes[replica].paxos.submit(batch, 0, batchWriter.length());
        nodes[replica].execute();
        return request;
    }

    int deliverWhile(final Predicate<Message> filter)
    {
        int delivered = 0;
        boolean progress = true;
        while (progress)
        {
            progress = false;
            for (final Iterator<Message> it = queue.iterator(); it.hasNext(); )
            {
                final Message message = it.next();
                if (filter.test(message))
                {
                    it.remove();
                    deliver(message);
                    delivered++;
                    progress = true;
                    break;
                }
            }
        }
        return delivered;
    }

    int deliverAll()
    {
        return deliverWhile(m -> true);
    }

    int drop(final Predicate<Message> filter)
    {
        final int before = queue.size();
        queue.removeIf(filter);
        return before - queue.size();
    }

    void deliver(final Message message)
    {
        if (crashed.contains(message.to) || crashed.contains(message.from))
        {
            return;
        }
        final Node to = nodes[message.to];
        to.paxos.onMessage(message.from, new UnsafeBuffer(message.bytes), 0, message.bytes.length);
        to.execute();
    }

    void crash(final int replica)
    {
        crashed.add(replica);
        queue.removeIf(m -> m.to == replica || m.from == replica);
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

    long countQueued(final Predicate<Message> filter)
    {
        return queue.stream().filter(filter).count();
    }
}
