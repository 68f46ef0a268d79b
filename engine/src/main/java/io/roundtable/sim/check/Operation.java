package io.roundtable.sim.check;

/**
 * One client operation as the client saw it: what it asked, what it was told and when. An operation that was never
 * completed is <em>pending</em> (the client crashed or timed out): it may or may not have taken effect, at any time
 * after its invocation, and its output is unknown.
 *
 * @param index          position in the {@link History}, stable, used to name the operation in reports.
 * @param clientId       the client that issued it.
 * @param kind           what was asked.
 * @param key            the register it addressed.
 * @param expected       the value a {@link OperationKind#CAS} compares against; unused otherwise.
 * @param argument       the value a {@link OperationKind#PUT} or {@link OperationKind#CAS} writes; unused by GET.
 * @param output         the value a GET read, or 1/0 for a CAS that did/did not swap; meaningless if pending.
 * @param invokeTimeNs   when the client issued it.
 * @param completeTimeNs when the client got the answer, {@link Long#MAX_VALUE} while pending.
 * @param completed      false while pending.
 */
public record Operation(
    int index,
    int clientId,
    OperationKind kind,
    long key,
    long expected,
    long argument,
    long output,
    long invokeTimeNs,
    long completeTimeNs,
    boolean completed)
{
    /** Real-time order: this one finished strictly before {@code other} started, so it must be linearized first. */
    public boolean precedes(final Operation other)
    {
        return completed && completeTimeNs < other.invokeTimeNs;
    }

    Operation completedWith(final long output, final long completeTimeNs)
    {
        return new Operation(
            index, clientId, kind, key, expected, argument, output, invokeTimeNs, completeTimeNs, true);
    }

    public String toString()
    {
        final StringBuilder sb = new StringBuilder(64);
        sb.append('#').append(index).append(" client ").append(clientId).append(' ');
        switch (kind)
        {
            case PUT:
                sb.append("PUT(").append(value(argument)).append(')');
                break;

            case GET:
                sb.append("GET()");
                if (completed)
                {
                    sb.append(" -> ").append(value(output));
                }
                break;

            case CAS:
                sb.append("CAS(").append(value(expected)).append(" => ").append(value(argument)).append(')');
                if (completed)
                {
                    sb.append(" -> ").append(output == 1 ? "swapped" : output == 0 ? "failed" : "output " + output);
                }
                break;
        }
        sb.append(" [").append(invokeTimeNs).append(", ").append(completed ? Long.toString(completeTimeNs) : "pending")
            .append(']');
        return sb.toString();
    }

    static String value(final long value)
    {
        return value == History.ABSENT ? "ABSENT" : Long.toString(value);
    }
}
