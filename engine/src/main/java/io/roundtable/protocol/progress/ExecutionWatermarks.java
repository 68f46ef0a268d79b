package io.roundtable.protocol.progress;

/**
 * What every replica has executed, as contiguous prefixes per origin ("replica q has executed every instance 1..n of
 * origin r"), learnt from Progress messages. An instance below every replica's prefix is executed everywhere: no
 * message about it can matter any more, so protocols may forget it (PROTOCOLS.md pitfall 9).
 */
final class ExecutionWatermarks
{
    private final long[][] executedUpTo;

    ExecutionWatermarks(final int replicaCount, final int originCount)
    {
        executedUpTo = new long[replicaCount][originCount];
    }

    /** Watermarks only grow: a reordered, older Progress message never lowers one. */
    void onProgress(final int replica, final int origin, final long upTo)
    {
        if (upTo > executedUpTo[replica][origin])
        {
            executedUpTo[replica][origin] = upTo;
        }
    }

    long executedUpTo(final int replica, final int origin)
    {
        return executedUpTo[replica][origin];
    }

    /** @return the highest instance of {@code origin} that every replica has executed. */
    long executedEverywhereUpTo(final int origin)
    {
        long min = Long.MAX_VALUE;
        for (final long[] replica : executedUpTo)
        {
            min = Math.min(min, replica[origin]);
        }
        return min;
    }
}
