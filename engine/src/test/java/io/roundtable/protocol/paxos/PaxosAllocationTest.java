package io.roundtable.protocol.paxos;

import io.roundtable.command.CommandBatchWriter;
import io.roundtable.execution.GraphExecutor;
import io.roundtable.protocol.JournalSink;
import io.roundtable.protocol.Outbox;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Steady state allocates nothing once warm: proposals at the leader, batches forwarded by a follower, Accept,
 * Accepted, Chosen, in-order execution, heartbeats, Progress and collection, over a preallocated in-memory network.
 */
final class PaxosAllocationTest
{
    private static final int NODES = 3;
    private static final int QUEUE_CAPACITY = 1024;
    private static final long PHASE_TIMEOUT_NS = 1_000_000_000L;

    private final Node[] nodes = new Node[NODES];
    private final ExpandableArrayBuffer[] queuedBytes = new ExpandableArrayBuffer[QUEUE_CAPACITY];
    private final int[] queuedFrom = new int[QUEUE_CAPACITY];
    private final int[] queuedTo = new int[QUEUE_CAPACITY];
    private final int[] queuedLength = new int[QUEUE_CAPACITY];
    private int head;
    private int tail;
    private long nowNs;
    private long executed;

    private final class Node implements Outbox, JournalSink
    {
        final int id;
        final Paxos paxos;
        final GraphExecutor executor;
        final ExpandableArrayBuffer sendBuffer = new ExpandableArrayBuffer(1024);

        Node(final int id)
        {
            this.id = id;
            this.executor = new GraphExecutor(1, 1024, this::onExecute);
            this.paxos = new Paxos(id, NODES, 1, PHASE_TIMEOUT_NS, id, this, this, executor::commit);
        }

        private void onExecute(final long dot)
        {
            executed++;
            paxos.onExecuted(dot);
        }

        public MutableDirectBuffer buffer()
        {
            return sendBuffer;
        }

        public void send(final int toReplica, final int length)
        {
            enqueue(id, toReplica, length);
        }

        public void sendToAll(final int length)
        {
            for (int to = 0; to < NODES; to++)
            {
                if (to != id)
                {
                    enqueue(id, to, length);
                }
            }
        }

        public void append(final DirectBuffer buffer, final int offset, final int length)
        {
        }

        private void enqueue(final int from, final int to, final int length)
        {
            final int next = (tail + 1) % QUEUE_CAPACITY;
            if (next == head)
            {
                throw new IllegalStateException("in-memory queue full");
            }
            queuedBytes[tail].putBytes(0, sendBuffer, 0, length);
            queuedFrom[tail] = from;
            queuedTo[tail] = to;
            queuedLength[tail] = length;
            tail = next;
        }
    }

    @Test
    void steadyStateAllocatesNothingOnceWarm()
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs per-thread allocation counters");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        for (int i = 0; i < QUEUE_CAPACITY; i++)
        {
            queuedBytes[i] = new ExpandableArrayBuffer(1024);
        }
        for (int i = 0; i < NODES; i++)
        {
            nodes[i] = new Node(i);
        }
        final ExpandableArrayBuffer batch = new ExpandableArrayBuffer(256);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[] {1, 2, 3});
        final long[] keys = {5};
        final CommandBatchWriter writer = new CommandBatchWriter();
        final int length = writer.begin(batch, 0, 1).add(7, 1, true, keys, 1, payload, 0, 3).length();

        for (int round = 0; round < 5000; round++)
        {
            round(batch, length);
        }
        // The best of three windows: a JIT deoptimisation can briefly run interpreted code whose allocations escape
        // analysis had removed (tens of bytes, once); a real per-message allocation shows in every window.
        long allocated = Long.MAX_VALUE;
        for (int window = 0; window < 3 && allocated != 0; window++)
        {
            final long executedBefore = executed;
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int round = 0; round < 1000; round++)
            {
                round(batch, length);
            }
            allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertEquals(2 * 1000 * NODES, executed - executedBefore, "two batches per round, executed everywhere");
        }

        assertTrue(nodes[0].paxos.positionCount() < 64, "collected: " + nodes[0].paxos.positionCount());
        assertEquals(0, allocated, "bytes allocated by 1000 warm rounds");
    }

    private void round(final DirectBuffer batch, final int length)
    {
        nodes[0].paxos.submit(batch, 0, length); // at the leader
        nodes[2].paxos.submit(batch, 0, length); // forwarded
        deliverAll();
        nowNs += PHASE_TIMEOUT_NS / 8;
        for (final Node node : nodes)
        {
            node.paxos.onTick(nowNs);
        }
        deliverAll();
    }

    private void deliverAll()
    {
        while (head != tail)
        {
            final int index = head;
            head = (head + 1) % QUEUE_CAPACITY;
            final Node to = nodes[queuedTo[index]];
            to.paxos.onMessage(queuedFrom[index], queuedBytes[index], 0, queuedLength[index]);
            while (to.executor.execute(1024) > 0)
            {
                // drain
            }
        }
    }
}
