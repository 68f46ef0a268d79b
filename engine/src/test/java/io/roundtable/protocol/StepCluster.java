package io.roundtable.protocol;

import io.roundtable.codecs.CommitEncoder;
import io.roundtable.codecs.MessageHeaderDecoder;
import io.roundtable.codecs.MessageHeaderEncoder;
import io.roundtable.command.CommandBatchWriter;
import io.roundtable.execution.CommandExecutor;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The network of the step-by-step scenario clusters of every protocol: each replica's {@link Endpoint} queues what
 * its core sends, and the test decides which messages to deliver, drop or lose, and in what order. A protocol's
 * cluster adds its cores, executors and journals, and says how a message reaches a core ({@link #onDeliver}).
 */
public abstract class StepCluster
{
    /** One message in flight, as its sender encoded it. */
    public static final class Message
    {
        public final int from;
        public final int to;
        public final int templateId;
        /**
         * The long after the ballot: the dot of an EPaxos or Atlas message (every one starts with ballot then dot),
         * the log position of a Paxos Accept, Accepted or Chosen; 0 for a message too short to hold one.
         */
        public final long dot;
        public final byte[] bytes;
        /** How many records the sender had journaled when it sent this (journal-before-send checks). */
        public final int journalRecordsAtSend;

        public Message(final int from, final int to, final byte[] bytes, final int journalRecordsAtSend)
        {
            this.from = from;
            this.to = to;
            this.bytes = bytes;
            this.journalRecordsAtSend = journalRecordsAtSend;
            final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
            this.templateId = buffer.getShort(2) & 0xFFFF;
            final int dotOffset = MessageHeaderDecoder.ENCODED_LENGTH + 8;
            this.dot = bytes.length >= dotOffset + 8 ? buffer.getLong(dotOffset) : 0;
        }

        public Message(final int from, final int to, final byte[] bytes)
        {
            this(from, to, bytes, 0);
        }

        /** Log position of a Paxos Accept, Accepted or Chosen (ballot, then position, after the header). */
        public long position()
        {
            return dot;
        }

        public String toString()
        {
            return "template " + templateId + " " + from + "->" + to + " for " + Dot.toString(dot);
        }
    }

    /** A replica's outbox: queues every message its core sends, unless the replica is crashed. */
    public abstract class Endpoint implements Outbox
    {
        public final int id;
        private final ExpandableArrayBuffer sendBuffer = new ExpandableArrayBuffer(1024);
        /** While true the replica replays its journal, and sending or journaling is a bug. */
        public boolean replaying;

        protected Endpoint(final int id)
        {
            this.id = id;
        }

        /** The replica's executor, which {@link #execute} drains. */
        protected abstract CommandExecutor executor();

        /** Runs everything the replica's executor can run now. */
        public void execute()
        {
            while (executor().execute(1000) > 0)
            {
                // drain
            }
        }

        /** Records journaled so far, stamped on each message sent. */
        protected int journalRecords()
        {
            return 0;
        }

        /** Fails the test if the replica is replaying its journal: replay must neither send nor journal. */
        protected void requireNotReplaying(final String what)
        {
            if (replaying)
            {
                throw new AssertionError("replica " + id + " " + what + " while replaying its journal");
            }
        }

        public MutableDirectBuffer buffer()
        {
            return sendBuffer;
        }

        public void send(final int toReplica, final int length)
        {
            requireNotReplaying("sent");
            if (crashed.contains(id))
            {
                return;
            }
            final byte[] bytes = new byte[length];
            sendBuffer.getBytes(0, bytes);
            queue.add(new Message(id, toReplica, bytes, journalRecords()));
        }

        public void sendToAll(final int length)
        {
            for (int to = 0; to < replicaCount; to++)
            {
                if (to != id)
                {
                    send(to, length);
                }
            }
        }
    }

    public final int replicaCount;
    public final List<Message> queue = new ArrayList<>();
    public final Set<Integer> crashed = new HashSet<>();
    /** Messages the network loses at delivery, e.g. every message about one dot. */
    public Predicate<Message> lost = m -> false;
    public long nowNs;
    protected final CommandBatchWriter batchWriter = new CommandBatchWriter();
    protected final ExpandableArrayBuffer batch = new ExpandableArrayBuffer(256);
    private long nextClientRequest = 1;

    protected StepCluster(final int replicaCount)
    {
        this.replicaCount = replicaCount;
    }

    /** Hands a delivered message to the core of replica {@code message.to} (and runs its executor). */
    protected abstract void onDeliver(Message message);

    /**
     * Whether a message reaches its replica: not if either end is crashed, or the network loses it. A cluster whose
     * tests let a crashed replica's last messages arrive overrides this.
     */
    protected boolean reaches(final Message message)
    {
        return !crashed.contains(message.to) && !crashed.contains(message.from) && !lost.test(message);
    }

    public void deliver(final Message message)
    {
        if (reaches(message))
        {
            onDeliver(message);
        }
    }

    /** Delivers, in FIFO order, every queued message matching the filter, including ones those deliveries send. */
    public int deliverWhile(final Predicate<Message> filter)
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

    public int deliverAll()
    {
        return deliverWhile(m -> true);
    }

    /** Removes the queued messages matching the filter; returns how many. */
    public int drop(final Predicate<Message> filter)
    {
        final int before = queue.size();
        queue.removeIf(filter);
        return before - queue.size();
    }

    public long countQueued(final Predicate<Message> filter)
    {
        return queue.stream().filter(filter).count();
    }

    /** From now on the replica neither receives nor sends: messages to or from it are dropped. */
    public void crash(final int replica)
    {
        crashed.add(replica);
        queue.removeIf(m -> m.to == replica || m.from == replica);
    }

    /** Encodes a one-command batch on {@code keys} into {@link #batch}; returns its length. */
    protected int encodeBatch(final boolean write, final long... keys)
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[] {1, 2, 3});
        batchWriter.begin(batch, 0, 1).add(7, nextClientRequest++, write, keys, keys.length, payload, 0, 3);
        return batchWriter.length();
    }

    /** The next client request number {@link #encodeBatch} will use. */
    protected long nextClientRequest()
    {
        return nextClientRequest;
    }

    /**
     * Delivers a hand-made Commit of an EPaxos or Atlas instance writing {@code key}, as if its other copies were
     * still in flight.
     */
    public void injectCommit(
        final int from, final int to, final long dot, final int seq, final long[] deps, final long key)
    {
        final int batchLength = encodeBatch(true, key);
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
        deliver(new Message(from, to, bytes, 0));
    }
}
