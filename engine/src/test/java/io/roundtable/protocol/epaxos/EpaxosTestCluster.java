package io.roundtable.protocol.epaxos;

import io.roundtable.codecs.AcceptEncoder;
import io.roundtable.codecs.MessageHeaderDecoder;
import io.roundtable.codecs.MessageHeaderEncoder;
import io.roundtable.execution.CommandExecutor;
import io.roundtable.execution.GraphExecutor;
import io.roundtable.protocol.Dot;
import io.roundtable.protocol.JournalSink;
import io.roundtable.protocol.StepCluster;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * N EPaxos cores wired by hand for scenario tests over a {@link StepCluster} network: every sent message is queued,
 * and the test decides which to deliver and in what order. Each replica has a graph executor; commits, executions
 * and journal records are logged.
 */
final class EpaxosTestCluster extends StepCluster
{
    final class Node extends Endpoint implements JournalSink
    {
        final Epaxos epaxos;
        final GraphExecutor executor;
        final List<Long> executed = new ArrayList<>();
        final Map<Long, long[]> committed = new HashMap<>();
        final List<Long> journaledDots = new ArrayList<>();
        final List<Integer> journaledStatuses = new ArrayList<>();
        long[] lastCommittedDeps;

        Node(final int id, final int replicaCount, final long recoveryTimeoutNs)
        {
            this(id, replicaCount, recoveryTimeoutNs, false);
        }

        Node(final int id, final int replicaCount, final long recoveryTimeoutNs, final boolean learnerOnly)
        {
            super(id);
            this.executor = new GraphExecutor(replicaCount, 64, this::onExecute);
            this.epaxos = new Epaxos(
                new EpaxosConfig().replicaId(id).replicaCount(replicaCount).phaseTimeoutNs(1_000_000L)
                    .recoveryTimeoutNs(recoveryTimeoutNs).learnerOnly(learnerOnly).conclude(),
                this, this,
                (dot, seq, deps, depsCount) ->
                {
                    committedDeps.put(dot, Arrays.copyOf(deps, depsCount));
                    committedSeq.put(dot, seq);
                    committed.put(dot, Arrays.copyOf(deps, depsCount));
                    lastCommittedDeps = Arrays.copyOf(deps, depsCount);
                    executor.commit(dot, seq, deps, depsCount);
                });
        }

        private void onExecute(final long dot)
        {
            executed.add(dot);
            epaxos.onExecuted(dot);
        }

        protected int journalRecords()
        {
            return journaledDots.size();
        }

        public void append(final DirectBuffer buffer, final int offset, final int length)
        {
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
    final Map<Long, Integer> committedSeq = new HashMap<>();

    EpaxosTestCluster(final int replicaCount)
    {
        this(replicaCount, 1_000_000_000L);
    }

    /** Phase timeout 1 ms; recovery after {@code recoveryTimeoutNs} undecided (plus up to as much back-off). */
    EpaxosTestCluster(final int replicaCount, final long recoveryTimeoutNs)
    {
        super(replicaCount);
        nodes = new Node[replicaCount];
        for (int i = 0; i < replicaCount; i++)
        {
            nodes[i] = new Node(i, replicaCount, recoveryTimeoutNs);
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
        return nodes[replica].epaxos.submit(batch, 0, length);
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

    /** The replica restarts with an empty journal: a fresh learner-only core under the same id. */
    void restartWithoutJournal(final int replica, final long recoveryTimeoutNs)
    {
        queue.removeIf(m -> m.to == replica || m.from == replica);
        nodes[replica] = new Node(replica, nodes.length, recoveryTimeoutNs, true);
        crashed.remove(replica);
    }

    protected void onDeliver(final Message message)
    {
        final Node to = nodes[message.to];
        to.epaxos.onMessage(message.from, new UnsafeBuffer(message.bytes), 0, message.bytes.length);
        to.execute();
    }

    /** Delivers a hand-made Accept, as the leader of {@code ballot} would send it. */
    void injectAccept(
        final int from, final int to, final long ballot, final long dot, final int seq, final long[] deps,
        final long key)
    {
        final int batchLength = encodeBatch(key, true);
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(512);
        final AcceptEncoder accept = new AcceptEncoder();
        accept.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).ballot(ballot).dot(dot).seq(seq);
        final AcceptEncoder.DepsEncoder group = accept.depsCount(deps.length);
        for (final long dep : deps)
        {
            group.next().dot(dep);
        }
        accept.putCommands(batch, 0, batchLength);
        final byte[] bytes = new byte[MessageHeaderEncoder.ENCODED_LENGTH + accept.encodedLength()];
        buffer.getBytes(0, bytes);
        deliver(new Message(from, to, bytes, 0));
    }

    /** Delivers a hand-made Commit for {@code dot} to one replica, as if its other copies were still in flight. */
    void injectCommit(final int to, final long dot, final int seq, final long[] deps, final long key)
    {
        injectCommit(Dot.replica(dot), to, dot, seq, deps, key);
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
            node.epaxos.onTick(nowNs);
            node.executor.forEachMissingDependency(node.epaxos::onMissingDependency);
            node.execute();
        }
    }
}
