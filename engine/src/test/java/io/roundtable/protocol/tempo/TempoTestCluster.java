package io.roundtable.protocol.tempo;

import io.roundtable.execution.CommandExecutor;
import io.roundtable.protocol.DecisionObserver;
import io.roundtable.protocol.JournalSink;
import io.roundtable.protocol.ProtocolContext;
import io.roundtable.protocol.ReplicaCore;
import io.roundtable.protocol.StepCluster;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * N Tempo cores built by {@link TempoFactory} and wired by hand for scenario tests over a {@link StepCluster}
 * network: every sent message is queued and the test decides which to deliver; journals are kept so a replica can
 * restart from its own.
 */
final class TempoTestCluster extends StepCluster
{
    static final long PHASE_TIMEOUT_NS = 1_000_000L;

    final class Node extends Endpoint implements JournalSink, DecisionObserver
    {
        final List<byte[]> journal = new ArrayList<>();
        final List<Long> executed = new ArrayList<>();
        final Map<Long, Long> decided = new HashMap<>();
        Tempo tempo;
        CommandExecutor executor;

        Node(final int id)
        {
            super(id);
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

        public void append(final DirectBuffer buffer, final int offset, final int length)
        {
            requireNotReplaying("journaled");
            final byte[] record = new byte[length];
            buffer.getBytes(offset, record);
            journal.add(record);
        }

        protected CommandExecutor executor()
        {
            return executor;
        }
    }

    final int faults;
    final Node[] nodes;

    TempoTestCluster(final int replicaCount, final int faults)
    {
        super(replicaCount);
        this.faults = faults;
        this.nowNs = 1;
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
        return nodes[replica].tempo.submit(batch, 0, encodeBatch(true, keys));
    }

    /** A crashed replica's messages already in flight still arrive (only those to it are lost). */
    protected boolean reaches(final Message message)
    {
        return !crashed.contains(message.to);
    }

    protected void onDeliver(final Message message)
    {
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
