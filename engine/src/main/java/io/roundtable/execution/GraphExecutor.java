package io.roundtable.execution;

import io.roundtable.protocol.Dot;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongArrayQueue;

import java.util.function.LongConsumer;

import static io.roundtable.execution.NodeTable.NOT_BLOCKED;
import static io.roundtable.execution.NodeTable.NO_SLOT;

/**
 * Executes committed instances of a dependency-graph protocol (EPaxos, Atlas) in dependency order: once every
 * transitive dependency of a node is committed here, Tarjan's algorithm finds its strongly connected components,
 * which execute sinks first and, inside a component, by (seq, replica, instance) (EPaxos §5.2).
 * <p>
 * Non-blocking and incremental: {@link #execute(int)} does at most about {@code workLimit} steps and returns, so it
 * fits an agent duty cycle; a search too large for one call resumes on the next. A node that depends on a dot not
 * committed here waits in an index keyed by that dot and is re-tried only when the dot commits, and
 * {@link #forEachMissingDependency(LongConsumer)} tells recovery which dots to chase (PROTOCOLS.md pitfall 4).
 * <p>
 * Memory stays flat: instances of each replica are numbered 1, 2, 3, ... and an executed instance at or below its
 * replica's contiguous executed watermark is forgotten. Allocation happens only while the arrays warm up.
 * <p>
 * Not thread safe: one duty-cycle thread commits and executes.
 */
public final class GraphExecutor implements CommandExecutor
{
    private static final long NULL_ROOT = Long.MIN_VALUE;

    private final NodeTable table;
    private final WaitingRoom waitingRoom;
    private final LongArrayQueue roots;
    private final TarjanSearch search;
    private final LongArrayList decidedButRestored = new LongArrayList();
    private boolean restored;

    public GraphExecutor(final int replicaCount, final int initialCapacity, final ExecutionListener listener)
    {
        if (null == listener)
        {
            throw new NullPointerException("listener");
        }
        table = new NodeTable(replicaCount, initialCapacity);
        waitingRoom = new WaitingRoom(initialCapacity);
        roots = new LongArrayQueue(Math.max(LongArrayQueue.MIN_CAPACITY, initialCapacity), NULL_ROOT);
        search = new TarjanSearch(table, waitingRoom, roots, listener, initialCapacity);
    }

    /**
     * A committed instance: copies deps (caller reuses its array). Duplicate commits of a dot already known are
     * ignored. A dependency on the dot itself is ignored; {@link Dot#NONE} counts as executed.
     */
    public void commit(final long dot, final int seq, final long[] deps, final int depsCount)
    {
        table.checkReplica(dot);
        if (Dot.instance(dot) == 0)
        {
            throw new IllegalArgumentException("instance numbers start at 1: " + Dot.toString(dot));
        }
        if (depsCount < 0 || depsCount > deps.length)
        {
            throw new IllegalArgumentException("depsCount " + depsCount + " outside [0, " + deps.length + "]");
        }
        for (int i = 0; i < depsCount; i++)
        {
            table.checkReplica(deps[i]);
        }

        if (table.isKnown(dot))
        {
            if (restored && table.isExecuted(dot))
            {
                decidedButRestored.addLong(dot);
            }
            return;
        }

        table.add(dot, seq, deps, depsCount);
        // The new node is tried before the nodes it wakes: if it is itself blocked, they find its mark and wait for
        // it in O(1) instead of walking down to it again (a chain committed in reverse stays linear).
        roots.offerLong(dot);
        waitingRoom.wake(dot, roots);
    }

    /**
     * Runs Tarjan's SCC from committed-but-unexecuted nodes; executes SCCs sinks-first, inside an SCC ordered by
     * (seq, replica, instance) ascending; returns the amount of work done (node/edge visits + executions), at most
     * about {@code workLimit}: a huge search resumes where it stopped on the next call. Popping and sorting one
     * component is not split, but executing its members is.
     */
    public int execute(final int workLimit)
    {
        int work = 0;
        while (work < workLimit)
        {
            if (search.hasWork())
            {
                work += search.doWork(workLimit - work);
            }
            else if (!roots.isEmpty())
            {
                tryRoot(roots.pollLong());
                work++;
            }
            else
            {
                break;
            }
        }

        return work;
    }

    public boolean isExecuted(final long dot)
    {
        table.checkReplica(dot);
        return table.isExecuted(dot);
    }

    /** Committed here, not yet executed. */
    public int pendingCount()
    {
        return table.pendingCount();
    }

    /**
     * Calls {@code consumer.accept(dot)} once for each distinct dot that is a dependency of some pending node but is
     * not committed here: the dots recovery must chase. Returns their count.
     */
    public int forEachMissingDependency(final LongConsumer consumer)
    {
        return table.forEachMissing(consumer);
    }

    /** The highest instance n such that every instance 1..n of {@code replica} is executed here. */
    public long executedUpTo(final int replica)
    {
        if (replica < 0 || replica >= table.replicaCount())
        {
            throw new IllegalArgumentException("replica outside [0, " + table.replicaCount() + "): " + replica);
        }
        return table.executedUpTo(replica);
    }

    /**
     * Writes what has executed here, for a checkpoint: per replica the contiguous executed watermark, then every
     * executed instance above a gap. Layout (little-endian): replica count (int), watermarks (long each), count of
     * executed dots above them (int), those dots (long each). Not for the hot path: it allocates a little.
     *
     * @return the length written.
     */
    public int snapshotExecuted(final MutableDirectBuffer out, final int offset)
    {
        final int replicaCount = table.replicaCount();
        out.putInt(offset, replicaCount);
        int position = offset + Integer.BYTES;
        for (int replica = 0; replica < replicaCount; replica++)
        {
            out.putLong(position, table.executedUpTo(replica));
            position += Long.BYTES;
        }
        final int countAt = position;
        position += Integer.BYTES;
        final int[] count = new int[1];
        final int[] cursor = { position };
        table.forEachExecutedAboveWatermark(dot ->
        {
            out.putLong(cursor[0], dot);
            cursor[0] += Long.BYTES;
            count[0]++;
        });
        out.putInt(countAt, count[0]);
        return cursor[0] - offset;
    }

    /**
     * Marks as executed, on a fresh executor, what {@link #snapshotExecuted} wrote: instances the restored state
     * machine already reflects. Commits of them are then ignored, and dependencies on them are satisfied.
     *
     * @throws IllegalStateException    if anything was committed to this executor already.
     * @throws IllegalArgumentException if the snapshot does not fit {@code length} or names other replicas.
     */
    public void restoreExecuted(final DirectBuffer in, final int offset, final int length)
    {
        if (table.storedCount() != 0)
        {
            throw new IllegalStateException("restore the executed set before any commit: " + table.storedCount() +
                " instances are held already");
        }
        final int end = offset + length;
        final int replicaCount = in.getInt(offset);
        if (replicaCount != table.replicaCount())
        {
            throw new IllegalArgumentException("executed-set snapshot is for " + replicaCount + " replicas, this " +
                "executor has " + table.replicaCount());
        }
        int position = offset + Integer.BYTES;
        requireWithin(position + replicaCount * Long.BYTES + Integer.BYTES, end);
        for (int replica = 0; replica < replicaCount; replica++)
        {
            table.restoreWatermark(replica, in.getLong(position));
            position += Long.BYTES;
        }
        final int count = in.getInt(position);
        position += Integer.BYTES;
        if (count < 0 || position + (long)count * Long.BYTES != end)
        {
            throw new IllegalArgumentException("executed-set snapshot is corrupt: " + count + " dots do not fill " +
                (end - position) + " bytes");
        }
        for (int i = 0; i < count; i++)
        {
            final long dot = in.getLong(position);
            table.checkReplica(dot);
            table.restoreExecuted(dot);
            position += Long.BYTES;
        }
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
        restored = false; // from here on every commit is of an instance decided after the checkpoint
        return count;
    }

    private static void requireWithin(final int position, final int end)
    {
        if (position > end)
        {
            throw new IllegalArgumentException("executed-set snapshot is corrupt: field ends at " + position +
                ", past its end " + end);
        }
    }

    /** Slots currently allocated: flat over a long run once warm. */
    int capacity()
    {
        return table.capacity();
    }

    /** Nodes still held: pending ones and executed ones above a gap in their replica's watermark. */
    int storedCount()
    {
        return table.storedCount();
    }

    int waiterCount()
    {
        return waitingRoom.waiterCount();
    }

    private void tryRoot(final long dot)
    {
        final int slot = table.slotOf(dot);
        if (NO_SLOT == slot || table.executed[slot])
        {
            return; // executed meanwhile by a search from another root
        }

        if (NOT_BLOCKED != table.blockerOf(slot))
        {
            // Wait for the dot the node's own mark names (missing when set, maybe committed but blocked by now), not
            // for the missing dot at the end of the chain: then each commit of a chain committed in reverse wakes
            // O(1) nodes. Marks only name dots uncommitted when set, so these waits cannot form a cycle.
            waitingRoom.await(table.blockedOn[slot], dot);
            return;
        }

        search.start(slot);
    }
}
