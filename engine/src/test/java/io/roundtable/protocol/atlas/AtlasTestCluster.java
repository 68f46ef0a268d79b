package io.roundtable.protocol.atlas;

import io.roundtable.codecs.MessageHeaderDecoder;
import io.roundtable.execution.CommandExecutor;
import io.roundtable.execution.GraphExecutor;
import io.roundtable.protocol.Dot;
import io.roundtable.protocol.JournalSink;
import io.roundtable.protocol.StepCluster;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * N Atlas cores wired by hand for scenario tests over a {@link StepCluster} network: every sent message is queued,
 * and the test decides which to deliver and in what order. Each replica has a graph executor; commits, executions
 * and journal records are logged.
 */
final class AtlasTestCluster extends StepCluster
{
    final class Node extends Endpoint implements JournalSink
    {
        final Atlas atlas;
        final GraphExecutor executor;
        final List<Long> executed = new ArrayList<>();
        final Map<Long, long[]> committed = new HashMap<>();
        final List<Long> journaledDots = new ArrayList<>();
        final List<Integer> journaledStatuses = new ArrayList<>();
        final List<byte[]> journal = new ArrayList<>();
        long[] lastCommittedDeps;

        Node(final int id, final int replicaCount, final int faults, final long recoveryTimeoutNs)
        {
            super(id);
            this.executor = new GraphExecutor(replicaCount, 64, this::onExecute);
            this.atlas = new Atlas(
                new AtlasConfig().replicaId(id).replicaCount(replicaCount).faults(faults).phaseTimeoutNs(1_000_000L)
                    .recoveryTimeoutNs(recoveryTimeoutNs).conclude(),
                this, this,
                (dot, seq, deps, depsCount) ->
                {
                    committedDeps.put(dot, Arrays.copyOf(deps, depsCount));
                    committed.put(dot, Arrays.copyOf(deps, depsCount));
                    lastCommittedDeps = Arrays.copyOf(deps, depsCount);
                    executor.commit(dot, seq, deps, depsCount);
                });
        }

        private void onExecute(final long dot)
        {
            executed.add(dot);
            atlas.onExecuted(dot);
        }

        protected int journalRecords()
        {
            return journaledDots.size();
        }

        public void append(final DirectBuffer buffer, final int offset, final int length)
        {
            final byte[] record = new byte[length];
            buffer.getBytes(offset, record);
            journal.add(record);
            journaledDots.add(buffer.getLong(offset + MessageHeaderDecoder.ENCODED_LENGTH));
            journaledStatuses.add((int)buffer.getByte(offset + MessageHeaderDecoder.ENCODED_LENGTH + 8));
        }

        protected CommandExecutor executor()
        {
            return executor;
        }
    }

    final Node[] nodes;
    final Map<Long, long[]> committedDeps = new HashMap<>();

    /** Phase timeout 1 ms; recovery after {@code recoveryTimeoutNs} undecided (plus up to as much back-off). */
    AtlasTestCluster(final int replicaCount, final int faults, final long recoveryTimeoutNs)
    {
        super(replicaCount);
        nodes = new Node[replicaCount];
        for (int i = 0; i < replicaCount; i++)
        {
            nodes[i] = new Node(i, replicaCount, faults, recoveryTimeoutNs);
        }
    }

    Node node(final int id)
    {
        return nodes[id];
    }

    /** Submits a one-command batch touching {@code key} at {@code replica}; returns the new instance's dot. */
    long submit(final int replica, final long key, final boolean write)
    {
        final int length = encodeBatch(key, write);
        return nodes[replica].atlas.submit(batch, 0, length);
    }

    int encodeBatch(final long key, final boolean write)
    {
        return encodeBatch(write, key);
    }

    /**
     * Advances time in {@code stepNs} steps, ticking every live replica and delivering everything after each tick,
     * until {@code untilNs}.
     */
    void run(final long stepNs, final long untilNs)
    {
        while (nowNs < untilNs)
        {
            nowNs += stepNs;
            tickAll(nowNs);
            deliverAll();
        }
    }

    protected void onDeliver(final Message message)
    {
        final Node to = nodes[message.to];
        to.atlas.onMessage(message.from, new UnsafeBuffer(message.bytes), 0, message.bytes.length);
        to.execute();
    }

    /** Delivers a hand-made Commit for {@code dot} to one replica, as if its other copies were still in flight. */
    void injectCommit(final int to, final long dot, final long[] deps, final long key)
    {
        injectCommit(Dot.replica(dot), to, dot, 0, deps, key);
    }

    void injectCommit(final int from, final int to, final long dot, final long[] deps, final long key)
    {
        injectCommit(from, to, dot, 0, deps, key);
    }

    void tickAll(final long nowNs)
    {
        this.nowNs = Math.max(this.nowNs, nowNs);
        for (final Node node : nodes)
        {
            if (crashed.contains(node.id))
            {
                continue;
            }
            node.atlas.onTick(nowNs);
            node.executor.forEachMissingDependency(node.atlas::onMissingDependency);
            node.execute();
        }
    }
}
