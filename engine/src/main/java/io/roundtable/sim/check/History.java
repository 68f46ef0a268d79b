package io.roundtable.sim.check;

import java.util.ArrayList;
import java.util.List;

/**
 * The client-side record of a run: every operation's invocation and, if the client heard back, its completion.
 * Clients of the simulator or of an integration test call {@link #invoke} just before sending a request and
 * {@link #complete} when the answer arrives; an operation never completed stays pending (see {@link Operation}).
 * <p>
 * Methods are synchronized so real client threads may share one history; the simulator pays nothing noticeable for it.
 */
public final class History
{
    /** The value of every key before anything is written; what a GET of a never-written key returns. */
    public static final long ABSENT = Long.MIN_VALUE;

    private final ArrayList<Operation> operations = new ArrayList<>();

    public synchronized int invoke(
        final int clientId,
        final OperationKind kind,
        final long key,
        final long expected,
        final long argument,
        final long invokeTimeNs)
    {
        if (kind == null)
        {
            throw new NullPointerException("kind");
        }
        if (invokeTimeNs == Long.MAX_VALUE)
        {
            throw new IllegalArgumentException("Long.MAX_VALUE is reserved for 'pending': " + invokeTimeNs);
        }
        final int index = operations.size();
        operations.add(new Operation(
            index, clientId, kind, key, expected, argument, 0, invokeTimeNs, Long.MAX_VALUE, false));
        return index;
    }

    public int invokePut(final int clientId, final long key, final long value, final long invokeTimeNs)
    {
        return invoke(clientId, OperationKind.PUT, key, 0, value, invokeTimeNs);
    }

    public int invokeGet(final int clientId, final long key, final long invokeTimeNs)
    {
        return invoke(clientId, OperationKind.GET, key, 0, 0, invokeTimeNs);
    }

    public int invokeCas(
        final int clientId, final long key, final long expected, final long newValue, final long invokeTimeNs)
    {
        return invoke(clientId, OperationKind.CAS, key, expected, newValue, invokeTimeNs);
    }

    /**
     * Records the answer to {@code operation}: the value read by a GET, 1/0 for a CAS that did/did not swap, anything
     * for a PUT.
     */
    public synchronized void complete(final int operation, final long output, final long completeTimeNs)
    {
        if (operation < 0 || operation >= operations.size())
        {
            throw new IllegalArgumentException("no such operation: " + operation);
        }
        final Operation op = operations.get(operation);
        if (op.completed())
        {
            throw new IllegalStateException("operation completed twice: " + op);
        }
        if (completeTimeNs < op.invokeTimeNs() || completeTimeNs == Long.MAX_VALUE)
        {
            throw new IllegalArgumentException("completion time " + completeTimeNs + " invalid for " + op);
        }
        if (op.kind() == OperationKind.CAS && output != 0 && output != 1)
        {
            throw new IllegalArgumentException("CAS output must be 1 (swapped) or 0 (not): " + output + " for " + op);
        }
        operations.set(operation, op.completedWith(op.kind() == OperationKind.PUT ? 0 : output, completeTimeNs));
    }

    public synchronized int size()
    {
        return operations.size();
    }

    public synchronized Operation operation(final int index)
    {
        return operations.get(index);
    }

    /** A snapshot: operations recorded or completed later do not show up in it. */
    public synchronized List<Operation> operations()
    {
        return List.copyOf(operations);
    }

    public synchronized String toString()
    {
        final StringBuilder sb = new StringBuilder(operations.size() * 48);
        for (final Operation op : operations)
        {
            sb.append(op).append('\n');
        }
        return sb.toString();
    }
}
