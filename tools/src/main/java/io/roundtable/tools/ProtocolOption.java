package io.roundtable.tools;

import io.aeron.exceptions.ConfigurationException;
import io.roundtable.config.ClusterTopology;
import io.roundtable.config.ProtocolName;
import io.roundtable.journal.JournalProtocols;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.stream.Collectors;

/**
 * {@code --protocol} of the commands that start replicas, shared by {@code cluster} and {@code replica}: it names the
 * protocol on the command line and wins over a topology file's {@code protocol=} line. It also refuses to start a
 * replica on a journal another protocol wrote: that replay would fail half-way through as "corrupt", or worse.
 */
public final class ProtocolOption
{
    @Option(names = "--protocol", paramLabel = "<name>",
        description = "epaxos, atlas, tempo or paxos; overrides the topology file's protocol (default: the file's, else epaxos).")
    String name;

    /** The protocol given, else {@code fallback}. */
    ProtocolName orElse(final ProtocolName fallback)
    {
        return null == name ? fallback : ProtocolName.fromName(name);
    }

    /** {@code topology} with the protocol given, if one was. */
    ClusterTopology applyTo(final ClusterTopology topology)
    {
        return null == name ? topology : topology.withProtocol(ProtocolName.fromName(name));
    }

    /**
     * Refuses to start replica {@code id} of {@code topology} on a journal that another protocol wrote, judged from its
     * first records (see {@link JournalProtocols}: EPaxos and Atlas journals can look alike, and then pass).
     *
     * @throws ConfigurationException saying which protocol wrote it and what to do.
     */
    static void requireJournalOf(final ClusterTopology topology, final int id)
    {
        final Path directory = topology.journalDirectory(id);
        final EnumSet<ProtocolName> writers = JournalProtocols.of(directory, JournalProtocols.DEFAULT_MAX_RECORDS);
        final ProtocolName protocol = topology.protocol();
        if (!writers.contains(protocol))
        {
            throw new ConfigurationException("the journal of replica " + id + " in " + directory + " was written by " +
                names(writers, " or ") + ", not " + protocol.configName() + ": resume it with --protocol " +
                names(writers, "|") + ", or move " + topology.journalDirectory() + " away to start a new " +
                protocol.configName() + " cluster");
        }
    }

    /** {@code "epaxos or atlas"}, say, for messages. */
    static String names(final EnumSet<ProtocolName> protocols, final String separator)
    {
        return protocols.stream().map(ProtocolName::configName).collect(Collectors.joining(separator));
    }
}
