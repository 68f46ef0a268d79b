package io.roundtable.protocol.tempo;

import io.roundtable.command.CommandBatchWriter;
import io.roundtable.execution.CommandExecutor;
import io.roundtable.protocol.DecisionObserver;
import io.roundtable.protocol.JournalSink;
import io.roundtable.protocol.Outbox;
import io.roundtable.protocol.ProtocolContext;
import io.roundtable.protocol.ReplicaCore;
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
 * N Tempo cores built by {@link TempoFactory} and wired by hand for scenario tests: every sent message is queued and
 * the test decides which to deliver; journals are kept so a replica can restart from its own.
 */
final class TempoTestCluster
{
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

        public String toString()
        {
            return "template " + templateId + " " + from + "->" + to;
        }
    }

    final class Node implements Outbox, JournalSink, DecisionObserver
    {
        final int id;
        final List<byte[]> journal = new ArrayList<>();
        final List<Long> executed = new ArrayList<>();
        final Map<Long, Long> decided = new HashMap<>();
        final ExpandableArrayBuffer sendBuffer = new ExpandableArrayBuffer(1024);
        Tempo tempo;
        CommandExecutor executor;

        Node(final int id)
        {
            this.id = id;
            build();
        }

        void build()
        {
            final int[] peers = new int[nodes.length - 1];
            for (int i = 0, p = 0; i < nodes.length; i++)
            {
                if (i != id)
                {
                    peers[p++] = i;
                }
            }
            final ReplicaCore core = new TempoFactory().create(new ProtocolContext(id, nodes.length, faults, peers,
                PHASE_TIMEOUT_NS, this, this, this::onExecute, this));
            tempo = (Tempo)core.protocol();
            executor = core.executor();
        }

        /** A crash and restart: a fresh core and executor rebuilt from this replica's journal only. */
        void restart()
        {
            executed.clear();
            decided.clear();
            build();
            replaying = true;
            for (final byte[] record : new ArrayList<>(journal))
            {
                tempo.replay(new UnsafeBuffer(record), 0, record.length);
            }
            replaying = false;
        }

        private void onExecute(final long dot)
        {
            executed.add(dot);
            tempo.onExecuted(dot);
        }

        public void onDecided(final long dot, final long order, final long[] deps, final int depsCount)
        {
            decided.put(dot, order);
        }

        public MutableDirectBuffer buffer()
        {
            return sendBuffer;
        }

        public void send(final int toReplica, final int length)
        {
            if (replaying)
            {
                throw new AssertionError("replica " + id + " sent during replay");
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
                throw new AssertionError("replica " + id + " journaled during replay");
            }
            final byte[] record = new byte[length];
            buffer.getBytes(offset, record);
            journal.add(record);
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
    long nowNs = 1;
    private boolean replaying;
    private final CommandBatchWriter batchWriter = new CommandBatchWriter();
    private final ExpandableArrayBuffer batch = new ExpandableArrayBuffer(256);
    private long nextClientRequest = 1;

    TempoTestCluster(final int replicaCount, final int faults)
    {
        this.faults = faults;
        nodes = new Node[replicaCount];
        for (int i = 0; i < replicaCount; i++)
        {
            nodes[i] = new Node(i);
        }
    }

    Node node(final int id)
    {
        return nodes[id];
    }

    /** Submits a one-command batch on {@code keys} at {@code replica}; returns the dot. */
    long submit(final int replica, final long... keys)
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[] {1, 2, 3});
        batchWriter.begin(batch, 0, 1).add(7, nextClientRequest++, true, keys, keys.length, payload, 0, 3);
        return nodes[replica].tempo.submit(batch, 0, batchWriter.length());
    }

    /** Delivers, in FIFO order, every queued message matching the filter, including ones those deliveries send. */
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

    void drop(final Predicate<Message> filter)
    {
        queue.removeIf(filter);
    }

    void deliver(final Message message)
    {
        if (crashed.contains(message.to))
        {
            return;
        }
        final Node node = nodes[message.to];
        node.tempo.onMessage(message.from, new UnsafeBuffer(message.bytes), 0, message.bytes.length);
        node.execute();
    }

    /** Advances time by {@code ns} and ticks every live replica. */
    void tick(final long ns)
    {
        nowNs += ns;
        for (final Node node : nodes)
        {
            if (!crashed.contains(node.id))
            {
                node.tempo.onTick(nowNs);
                node.execute();
            }
        }
    }

    /** Ticks and delivers everything until nothing moves, {@code rounds} times. */
    void settle(final int rounds)
    {
        for (int i = 0; i < rounds; i++)
        {
            tick(PHASE_TIMEOUT_NS / 4);
            deliverAll();
        }
    }
}
