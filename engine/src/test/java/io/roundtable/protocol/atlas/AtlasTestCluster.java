package io.roundtable.protocol.atlas;

import io.roundtable.codecs.CommitEncoder;
import io.roundtable.codecs.MessageHeaderDecoder;
import io.roundtable.codecs.MessageHeaderEncoder;
import io.roundtable.command.CommandBatchWriter;
import io.roundtable.execution.GraphExecutor;
import io.roundtable.protocol.Dot;
import io.roundtable.protocol.JournalSink;
import io.roundtable.protocol.Outbox;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * N Atlas cores wired by hand for scenario tests: every sent message is queued, and the test decides which to
 * deliver and in what order. Each replica has a graph executor; commits, executions and journal records are logged.
 */
final class AtlasTestCluster
{
    static final class Message
    {
        final int from;
        final int to;
        final int templateId;
        final long dot;
        final byte[] bytes;
        final int journalRecordsAtSend;

        Message(final int from, final int to, final byte[] bytes, final int journalRecordsAtSend)
        {
            this.from = from;
            this.to = to;
            this.bytes = bytes;
            this.journalRecordsAtSend = journalRecordsAtSend;
            final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
            this.templateId = buffer.getShort(2) & 0xFFFF;
            // every dependency-protocol message starts with ballot then dot (8 + 8 bytes after the header)
            this.dot = buffer.getLong(MessageHeaderDecoder.ENCODED_LENGTH + 8);
        }

        public String toString()
        {
            return "template " + templateId + " " + from + "->" + to + " for " + Dot.toString(dot);
        }
    }

    final class Node implements Outbox, JournalSink
    {
        final int id;
        final Atlas atlas;
        final GraphExecutor executor;
        final List<Long> executed = new ArrayList<>();
        final java.util.Map<Long, long[]> committed = new java.util.HashMap<>();
        final List<Long> journaledDots = new ArrayList<>();
        final List<Integer> journaledStatuses = new ArrayList<>();
        final List<byte[]> journal = new ArrayList<>();
        final ExpandableArrayBuffer sendBuffer = new ExpandableArrayBuffer(1024);
        long[] lastCommittedDeps;

        Node(final int id, final int replicaCount, final int faults, final long recoveryTimeoutNs)
        {
            this.id = id;
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

        public MutableDirectBuffer buffer()
        {
            return sendBuffer;
        }

        public void send(final int toReplica, final int length)
        {
            if (crashed.contains(id))
            {
                return;
            }
            final byte[] bytes = new byte[length];
            sendBuffer.getBytes(0, bytes);
            queue.add(new Message(id, toReplica, bytes, journaledDots.size()));
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
            final byte[] record = new byte[length];
            buffer.getBytes(offset, record);
            journal.add(record);
            journaledDots.add(buffer.getLong(offset + MessageHeaderDecoder.ENCODED_LENGTH));
            journaledStatuses.add((int)buffer.getByte(offset + MessageHeaderDecoder.ENCODED_LENGTH + 8));
        }

        void execute()
        {
            while (executor.execute(1000) > 0)
            {
                // drain
            }
        }
    }

    final Node[] nodes;
    final java.util.Set<Integer> crashed = new java.util.HashSet<>();
    /** Messages the network loses at delivery, e.g. every message about one dot. */
    Predicate<Message> lost = m -> false;
    long nowNs;
    final List<Message> queue = new ArrayList<>();
    final java.util.Map<Long, long[]> committedDeps = new java.util.HashMap<>();
    private final CommandBatchWriter batchWriter = new CommandBatchWriter();
    private final ExpandableArrayBuffer batch = new ExpandableArrayBuffer(256);
    private long nextClientRequest = 1;

    /** Phase timeout 1 ms; recovery after {@code recoveryTimeoutNs} undecided (plus up to as much back-off). */
    AtlasTestCluster(final int replicaCount, final int faults, final long recoveryTimeoutNs)
    {
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
        final long[] keys = {key};
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[] {1, 2, 3});
        batchWriter.begin(batch, 0, 1).add(7, nextClientRequest++, write, keys, 1, payload, 0, 3);
        return batchWriter.length();
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

    /** From now on the replica neither receives nor sends: messages to or from it are dropped at delivery. */
    void crash(final int replica)
    {
        crashed.add(replica);
        queue.removeIf(m -> m.to == replica || m.from == replica);
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

    void deliver(final Message message)
    {
        if (crashed.contains(message.to) || crashed.contains(message.from) || lost.test(message))
        {
            return;
        }
        final Node to = nodes[message.to];
        to.atlas.onMessage(message.from, new UnsafeBuffer(message.bytes), 0, message.bytes.length);
        to.execute();
    }

    /** Delivers a hand-made Commit for {@code dot} to one replica, as if its other copies were still in flight. */
    void injectCommit(final int to, final long dot, final long[] deps, final long key)
    {
        injectCommit(Dot.replica(dot), to, dot, deps, key);
    }

    void injectCommit(final int from, final int to, final long dot, final long[] deps, final long key)
    {
        final int batchLength = encodeBatch(key, true);
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(512);
        final CommitEncoder commit = new CommitEncoder();
        commit.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).ballot(0).dot(dot).seq(0);
        final CommitEncoder.DepsEncoder group = commit.depsCount(deps.length);
        for (final long dep : deps)
        {
            group.next().dot(dep);
        }
        commit.putCommands(batch, 0, batchLength);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + commit.encodedLength();
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        deliver(new Message(from, to, bytes, 0));
    }

    long countQueued(final Predicate<Message> filter)
    {
        return queue.stream().filter(filter).count();
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
