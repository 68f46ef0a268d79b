package io.roundtable.config;

import java.util.Locale;

/**
 * The replication protocol a cluster runs, as named in a topology file. Every replica of a cluster must run the same
 * one: their messages and quorums differ.
 */
public enum ProtocolName
{
    /** Egalitarian Paxos: leaderless, fast path of F + ⌊(F+1)/2⌋ replicas, dependency graph execution. */
    EPAXOS,

    /** Atlas: leaderless, fast quorum ⌊N/2⌋ + f sized by the tolerated faults f rather than by N alone. */
    ATLAS,

    /** Tempo: leaderless, timestamp ordering instead of dependency graphs, fast quorum ⌊N/2⌋ + f. */
    TEMPO,

    /** Multi-Paxos with a stable leader: the baseline the leaderless protocols are measured against. */
    PAXOS;

    /** The lower-case name used in topology files, e.g. {@code epaxos}. */
    public String configName()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a name as written in a topology file or on a command line, ignoring case and surrounding whitespace.
     *
     * @throws TopologyException naming the valid choices if {@code name} is not one of them.
     */
    public static ProtocolName fromName(final String name)
    {
        if (null != name)
        {
            final String normalised = name.trim().toUpperCase(Locale.ROOT);
            for (final ProtocolName protocol : values())
            {
                if (protocol.name().equals(normalised))
                {
                    return protocol;
                }
            }
        }

        throw new TopologyException("unknown protocol '" + name + "': use one of " + configNames());
    }

    /** {@code "epaxos, atlas, tempo, paxos"}, for messages. */
    static String configNames()
    {
        final StringBuilder names = new StringBuilder();
        for (final ProtocolName protocol : values())
        {
            names.append(names.length() == 0 ? "" : ", ").append(protocol.configName());
        }

        return names.toString();
    }
}
