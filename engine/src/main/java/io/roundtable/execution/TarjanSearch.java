package io.roundtable.execution;

import org.agrona.collections.LongArrayQueue;

import java.util.Arrays;

import static io.roundtable.execution.NodeTable.NOT_BLOCKED;
import static io.roundtable.execution.NodeTable.NO_SLOT;

/**
 * Tarjan's strongly connected components from one root at a time, iterative (a dependency chain can be millions of
 * nodes long) and resumable: the DFS frames (node, edge cursor), the Tarjan stack and the component being executed
 * are fields, so {@link #doWork(int)} can stop after any step and pick up there on the next call. Components pop
 * sinks first and are executed before the search continues, which is the EPaxos execution order.
 * <p>
 * A search only ever runs over committed nodes whose dependencies are all committed: on reaching a dependency that
 * is missing, or a node already known to be blocked by one, the search is abandoned. Components popped before that
 * point have only committed dependencies, so executing them eagerly is safe.
 */
final class TarjanSearch
{
    private static final int MIN_CAPACITY = 16;

    private final NodeTable table;
    private final WaitingRoom waitingRoom;
    private final LongArrayQueue roots;
    private final ExecutionListener listener;

    private int[] pathSlots;
    private int[] pathEdges;
    private int depth;
    private int[] stack;
    private int stackTop;
    private int nextIndex;
    private int[] component;
    private int componentSize;
    private int emitted;

    TarjanSearch(
        final NodeTable table,
        final WaitingRoom waitingRoom,
        final LongArrayQueue roots,
        final ExecutionListener listener,
        final int initialCapacity)
    {
        this.table = table;
        this.waitingRoom = waitingRoom;
        this.roots = roots;
        this.listener = listener;
        final int capacity = Math.max(MIN_CAPACITY, initialCapacity);
        pathSlots = new int[capacity];
        pathEdges = new int[capacity];
        stack = new int[capacity];
        component = new int[capacity];
    }

    boolean hasWork()
    {
        return depth > 0 || emitted < componentSize;
    }

    /** Starts a search from an unexecuted, unvisited node that is not known to be blocked. */
    void start(final int rootSlot)
    {
        // Every node visited by the previous search is executed or was reset by abandon(), so indices restart.
        nextIndex = 0;
        visit(rootSlot);
    }

    int doWork(final int workLimit)
    {
        return emitted < componentSize ? emit(workLimit) : search(workLimit);
    }

    private int search(final int workLimit)
    {
        // No callback runs inside this loop, so the table's arrays cannot be replaced under these locals.
        final NodeTable table = this.table;
        final long[] dots = table.dots;
        final long[][] deps = table.deps;
        final int[] depsCount = table.depsCount;
        final boolean[] executed = table.executed;
        final int[] index = table.index;
        final int[] lowlink = table.lowlink;
        final boolean[] onStack = table.onStack;

        int work = 0;
        while (depth > 0 && work < workLimit)
        {
            work++;
            final int top = depth - 1;
            final int v = pathSlots[top];
            final int edge = pathEdges[top];
            if (edge < depsCount[v])
            {
                pathEdges[top] = edge + 1;
                final long dep = deps[v][edge];
                if (dep == dots[v])
                {
                    continue;
                }

                final int w = table.slotOf(dep);
                if (NO_SLOT == w)
                {
                    if (!table.isBelowWatermark(dep))
                    {
                        abandon(dep);
                        return work;
                    }
                }
                else if (!executed[w])
                {
                    if (0 == index[w])
                    {
                        final long blocker = table.blockerOf(w);
                        if (NOT_BLOCKED != blocker)
                        {
                            abandon(blocker);
                            return work;
                        }
                        visit(w);
                    }
                    else if (onStack[w] && index[w] < lowlink[v])
                    {
                        lowlink[v] = index[w];
                    }
                }
            }
            else
            {
                depth--;
                if (lowlink[v] == index[v])
                {
                    // Execute this component before any later one pops: sinks first. Its members count as work
                    // when they execute.
                    popComponent(v);
                    return work;
                }
                // The root always closes a component, so v has a parent frame here.
                final int parent = pathSlots[depth - 1];
                if (lowlink[v] < lowlink[parent])
                {
                    lowlink[parent] = lowlink[v];
                }
            }
        }

        return work;
    }

    private void visit(final int slot)
    {
        final int visitIndex = ++nextIndex;
        table.index[slot] = visitIndex;
        table.lowlink[slot] = visitIndex;
        table.onStack[slot] = true;

        if (stackTop == stack.length)
        {
            stack = Arrays.copyOf(stack, stackTop << 1);
        }
        stack[stackTop++] = slot;

        if (depth == pathSlots.length)
        {
            pathSlots = Arrays.copyOf(pathSlots, depth << 1);
            pathEdges = Arrays.copyOf(pathEdges, depth << 1);
        }
        pathSlots[depth] = slot;
        pathEdges[depth] = 0;
        depth++;
    }

    /**
     * Gives up the current search because it reached {@code blocker}, a dot not committed here. Every node on the
     * DFS path depends on it, so each is marked: a later search reaching any of them stops at once instead of
     * walking the same blocked region again. The other visited nodes are only reset; they are still queued or
     * waiting themselves. The root waits for the blocker's commit.
     */
    private void abandon(final long blocker)
    {
        final long[] blockedOn = table.blockedOn;
        for (int i = 0; i < depth; i++)
        {
            blockedOn[pathSlots[i]] = blocker;
        }

        final int[] index = table.index;
        final boolean[] onStack = table.onStack;
        while (stackTop > 0)
        {
            final int slot = stack[--stackTop];
            index[slot] = 0;
            onStack[slot] = false;
        }

        final long rootDot = table.dots[pathSlots[0]];
        depth = 0;
        waitingRoom.await(blocker, rootDot);
    }

    private void popComponent(final int rootSlot)
    {
        if (component.length < stackTop)
        {
            component = new int[stack.length];
        }

        final boolean[] onStack = table.onStack;
        int size = 0;
        int slot;
        do
        {
            slot = stack[--stackTop];
            onStack[slot] = false;
            component[size++] = slot;
        }
        while (slot != rootSlot);

        ComponentOrder.sort(component, size, table.seqs, table.dots);
        componentSize = size;
        emitted = 0;
    }

    private int emit(final int workLimit)
    {
        // The listener may commit, which can grow the table's arrays: read them through the table each time.
        int work = 0;
        while (emitted < componentSize && work < workLimit)
        {
            final int slot = component[emitted++];
            final long dot = table.dots[slot];
            table.markExecuted(slot);
            waitingRoom.wake(dot, roots);
            work++;
            listener.onExecute(dot);
        }

        if (emitted == componentSize)
        {
            componentSize = 0;
            emitted = 0;
        }

        return work;
    }
}
