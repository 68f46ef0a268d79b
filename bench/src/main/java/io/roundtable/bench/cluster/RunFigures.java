package io.roundtable.bench.cluster;

import io.roundtable.config.ProtocolName;

/** The per-protocol figures of a run that only some protocols have: NaN where the protocol has no such thing. */
final class RunFigures
{
    private RunFigures()
    {
    }

    /** EPaxos and Atlas: dependencies per committed instance. */
    static double dependenciesPerInstance(final ProtocolName protocol, final long dependencies, final long committed)
    {
        final boolean hasDependencies = protocol == ProtocolName.EPAXOS || protocol == ProtocolName.ATLAS;
        return hasDependencies && committed > 0 ? (double)dependencies / committed : Double.NaN;
    }

    /** Tempo: mean commit-to-stable wait, in ms. */
    static double stabilityWaitMs(final ProtocolName protocol, final long waitNs, final long waits)
    {
        return protocol == ProtocolName.TEMPO && waits > 0 ? waitNs / 1e6 / waits : Double.NaN;
    }
}
