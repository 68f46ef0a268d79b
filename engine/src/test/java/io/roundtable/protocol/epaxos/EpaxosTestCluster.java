package io.roundtable.protocol.epaxos;

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
 * N EPaxos cores wired by hand for scenario tests: every sent message is queued, and the test decides which to
 * deliver and in what order. Each replica has a graph executor; commits, executions and journal records are logged.
 */
final class EpaxosTestCluster
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
            // every EPaxos message starts with ballot then dot (8 + 8 bytes after the header)
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
        final Epaxos epaxos;
        final GraphExecutor executor;
        final List<Long> executed = new ArrayList<>();
        final List<Long> journaledDots = new ArrayList<>();
        final List<Integer> journaledStatuses = new ArrayList<>();
        final ExpandableArrayBuffer sendBuffer = new ExpandableArrayBuffer(1024);
        long[] lastCommittedDeps;

        Node(final int id, final int replicaCount)
        {
            this.id = id;
            this.executor = new GraphExecutor(replicaCount, 64, this::onExecute);
            this.epaxos = new Epaxos(
                new EpaxosConfig().replicaId(id).replicaCount(replicaCount).phaseTimeoutNs(1_000_000L).conclude(),
                this, this,
                (dot, seq, deps, depsCount) ->
                {
                    committedDeps.put(dot, Arrays.copyOf(deps, depsCount));
                    committedSeq.put(dot, seq);
                    lastCommittedDeps = Arrays.copyOf(deps, depsCount);
                    executor.commit(dot, seq, deps, depsCount);
                });
        }

        private void onExecute(final long dot)
        {
            executed.add(dot);
            epaxos.onExecuted(dot);
        }

        public MutableDirectBuffer buffer()
        {
            return sendBuffer;
        }

        public void send(final int toReplica, final int length)
        {
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
    final List<Message> queue = new ArrayList<>();
    final java.util.Map<Long, long[]> committedDeps = new java.util.HashMap<>();
    final java.util.Map<Long, Integer> committedSeq = new java.util.HashMap<>();
    private final CommandBatchWriter batchWriter = new CommandBatchWriter();
    private final ExpandableArrayBuffer batch = new ExpandableArrayBuffer(256);
    private long nextClientRequest = 1;

    EpaxosTestCluster(final int replicaCount)
    {
        nodes = new Node[replicaCount];
        for (int i = 0; i < replicaCount; i++)
        {
            nodes[i] = new Node(i, replicaCount);
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

    void deliver(final Message message)
    {
        final Node to = nodes[message.to];
        to.epaxos.onMessage(message.from, new UnsafeBuffer(message.bytes), 0, message.bytes.length);
        to.execute();
    }

    /** Delivers a hand-made Commit for {@code dot} to one replica, as if its other copies were still in flight. */
    void injectCommit(final int to, final long dot, final int seq, final long[] deps, final long key)
    {
        final int batchLength = encodeBatch(key, true);
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(512);
        final CommitEncoder commit = new CommitEncoder();
        commit.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).ballot(0).dot(dot).seq(seq);
        final CommitEncoder.DepsEncoder group = commit.depsCount(deps.length);
        for (final long dep : deps)
        {
            group.next().dot(dep);
        }
        commit.putCommands(batch, 0, batchLength);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + commit.encodedLength();
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        deliver(new Message(Dot.replica(dot), to, bytes, 0));
    }

    long countQueued(final Predicate<Message> filter)
    {
        return queue.stream().filter(filter).count();
    }

    void tickAll(final long nowNs)
    {
        for (final Node node : nodes)
        {
            node.epaxos.onTick(nowNs);
            node.execute();
        }
    }
}
