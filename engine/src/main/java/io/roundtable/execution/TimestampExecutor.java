package io.roundtable.execution;

import io.roundtable.command.KeySet;
import io.roundtable.protocol.Dot;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.IntArrayQueue;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongArrayQueue;

import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * Executes the commands of a timestamp protocol (Tempo) without a dependency graph: each committed command carries a
 * timestamp, and on every key it touches the commands run in (timestamp, dot) order, each only once the key is
 * stable up to its timestamp (the protocol has learnt that no command with a lower timestamp can still commit on it).
 * A command touching several keys (a batch touches the union of its commands' keys) runs atomically once it is
 * stable on all of them and first in every one of their queues.
 * <p>
 * No deadlock: (timestamp, dot) is one total order shared by every key, so the smallest command that is stable on all
 * its keys heads each of its queues (anything before it on a shared key would be smaller and stable too). A command is
 * re-examined whenever one of its keys changes head or grows its stable frontier, so it runs as soon as it can.
 * <p>
 * A no-op (an empty batch, from recovery) touches no key and runs at commit. Allocation-free once warm; not thread
 * safe: one duty-cycle thread commits and executes.
 */
public final class TimestampExecutor implements CommandExecutor, KeyQueues.NodeOrder
{
    private static final long NO_NODE = -1L;

    private final ExecutionListener listener;
    private final ExecutedDots executed;
    private final KeyQueues queues = new KeyQueues(this);
    private final Long2LongHashMap nodeByDot = new Long2LongHashMap(NO_NODE);
    private final IntArrayList freeNodes = new IntArrayList();
    private final IntArrayQueue ready;
    private final LongArrayQueue keysToCheck;
    private final LongArrayList decidedButRestored = new LongArrayList();
    private long[] dots;
    private long[] timestamps;
    private long[][] keys;
    private int[] keyCounts;
    private int nextUnused;
    private boolean restored;

    public TimestampExecutor(final int replicaCount, final int initialCapacity, final ExecutionListener listener)
    {
        if (null == listener)
        {
            throw new NullPointerException("listener");
        }
        final int capacity = Math.max(16, initialCapacity);
        this.listener = listener;
        this.executed = new ExecutedDots(replicaCount);
        this.ready = new IntArrayQueue(capacity, Integer.MIN_VALUE);
        this.keysToCheck = new LongArrayQueue(capacity, Long.MIN_VALUE);
        dots = new long[capacity];
        timestamps = new long[capacity];
        keys = new long[capacity][];
        keyCounts = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            keys[i] = new long[4];
        }
    }

    /**
     * A committed command: {@code timestamp} orders it on each of {@code commandKeys} (copied; empty for a no-op,
     * which runs at once). A dot committed twice, or already executed, is ignored.
     */
    public void commit(final long dot, final long timestamp, final KeySet commandKeys)
    {
        executed.checkReplica(dot);
        if (executed.contains(dot))
        {
            if (restored)
            {
                decidedButRestored.addLong(dot);
            }
            return;
        }
        if (nodeByDot.containsKey(dot))
        {
            return;
        }
        final int node = allocate(dot, timestamp, commandKeys);
        final int count = keyCounts[node];
        if (count == 0)
        {
            ready.offerInt(node);
            return;
        }
        final long[] nodeKeys = keys[node];
        for (int i = 0; i < count; i++)
        {
            queues.push(nodeKeys[i], node);
            keysToCheck.offerLong(nodeKeys[i]);
        }
    }

    /** Every command on {@code key} with a timestamp at most {@code upTo} is committed here (the protocol says). */
    public void stable(final long key, final long upTo)
    {
        if (queues.stable(key, upTo) && queues.head(key) != KeyQueues.EMPTY)
        {
            keysToCheck.offerLong(key);
        }
    }

    public long stableUpTo(final long key)
    {
        return queues.stableUpTo(key);
    }

    /**
     * Forgets {@code key}'s stable frontier if no command waits on it: the protocol forgot the key's promises, and a
     * frontier learnt again starts low and grows (a lower frontier only delays; it is never wrong).
     */
    public void forgetKey(final long key)
    {
        queues.forgetStable(key);
    }

    /** Keys with a stable frontier held (for tests: bounded once quiet keys are forgotten). */
    public int stableKeyCount()
    {
        return queues.stableKeyCount();
    }

    public int execute(final int workLimit)
    {
        int work = 0;
        while (work < workLimit)
        {
            if (!ready.isEmpty())
            {
                run(ready.pollInt());
                work++;
            }
            else if (!keysToCheck.isEmpty())
            {
                final int head = queues.head(keysToCheck.pollLong());
                work++;
                if (head != KeyQueues.EMPTY && isRunnable(head))
                {
                    run(head);
                }
            }
            else
            {
                break;
            }
        }
        return work;
    }

    /** Stability is the protocol's to repair (it re-sends promises), so nothing is missing here. */
    public int forEachMissingDependency(final LongConsumer consumer)
    {
        return 0;
    }

    public boolean isExecuted(final long dot)
    {
        executed.checkReplica(dot);
        return executed.contains(dot);
    }

    public int pendingCount()
    {
        return nodeByDot.size();
    }

    public int snapshotExecuted(final MutableDirectBuffer out, final int offset)
    {
        return executed.snapshot(out, offset);
    }

    public void restoreExecuted(final DirectBuffer in, final int offset, final int length)
    {
        if (nodeByDot.size() != 0 || !executed.isEmpty())
        {
            throw new IllegalStateException("restore the executed set on a fresh executor, before any commit");
        }
        executed.restore(in, offset, length);
        restored = true;
    }

    public int drainDecidedButRestored(final LongConsumer consumer)
    {
        final int count = decidedButRestored.size();
        for (int i = 0; i < count; i++)
        {
            consumer.accept(decidedButRestored.getLong(i));
        }
        decidedButRestored.clear();
        restored = false;
        return count;
    }

    /** The highest n such that instances 1..n of {@code origin} have executed here. */
    public long executedUpTo(final int origin)
    {
        return executed.watermark(origin);
    }

    public boolean before(final int node, final int other)
    {
        final long timestamp = timestamps[node];
        final long otherTimestamp = timestamps[other];
        return timestamp < otherTimestamp || (timestamp == otherTimestamp && dotBefore(dots[node], dots[other]));
    }

    /** Keys with commands waiting (for tests: flat once warm). */
    int waitingKeyCount()
    {
        return queues.keyCount();
    }

    int nodeCapacity()
    {
        return dots.length;
    }

    private static boolean dotBefore(final long dot, final long other)
    {
        final int replica = Dot.replica(dot);
        final int otherReplica = Dot.replica(other);
        return replica < otherReplica || (replica == otherReplica && Dot.instance(dot) < Dot.instance(other));
    }

    private boolean isRunnable(final int node)
    {
        final long timestamp = timestamps[node];
        final long[] nodeKeys = keys[node];
        for (int i = 0, count = keyCounts[node]; i < count; i++)
        {
            final long key = nodeKeys[i];
            if (timestamp > queues.stableUpTo(key) || queues.head(key) != node)
            {
                return false;
            }
        }
        return true;
    }

    private void run(final int node)
    {
        final long dot = dots[node];
        final long[] nodeKeys = keys[node];
        for (int i = 0, count = keyCounts[node]; i < count; i++)
        {
            queues.pop(nodeKeys[i]);
            keysToCheck.offerLong(nodeKeys[i]);
        }
        nodeByDot.remove(dot);
        freeNodes.addInt(node);
        executed.add(dot);
        listener.onExecute(dot);
    }

    private int allocate(final long dot, final long timestamp, final KeySet commandKeys)
    {
        final int node;
        if (!freeNodes.isEmpty())
        {
            node = freeNodes.popInt();
        }
        else
        {
            if (nextUnused == dots.length)
            {
                grow(dots.length * 2);
            }
            node = nextUnused++;
        }
        final int count = commandKeys.count();
        if (keys[node].length < count)
        {
            keys[node] = new long[Math.max(count, keys[node].length * 2)];
        }
        for (int i = 0; i < count; i++)
        {
            keys[node][i] = commandKeys.key(i);
        }
        keyCounts[node] = count;
        dots[node] = dot;
        timestamps[node] = timestamp;
        nodeByDot.put(dot, node);
        return node;
    }

    private void grow(final int capacity)
    {
        final int old = dots.length;
        dots = Arrays.copyOf(dots, capacity);
        timestamps = Arrays.copyOf(timestamps, capacity);
        keyCounts = Arrays.copyOf(keyCounts, capacity);
        keys = Arrays.copyOf(keys, capacity);
        for (int i = old; i < capacity; i++)
        {
            keys[i] = new long[4];
        }
    }
}
