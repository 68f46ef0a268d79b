package io.roundtable.config;

import io.aeron.exceptions.ConfigurationException;
import io.roundtable.driver.Channels;
import io.roundtable.driver.IdleStrategyChoice;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import static io.roundtable.config.TopologyException.NO_LINE;

/**
 * Collects and validates the settings of a {@link ClusterTopology}, so that {@link TopologyFile} and
 * {@link ClusterTopology#localhost} enforce the same rules with the same messages. Each setter checks its own value at
 * once, so a parser fails on the offending line in file order; {@link #build()} then checks what needs every line
 * (faults against replicas, ids, endpoint clashes). The first error is thrown: one clear message beats a list whose
 * later entries are often consequences of the first.
 */
final class TopologyBuilder
{
    private final String sourceName;
    private ProtocolName protocol;
    private int replicas;
    private long faults = -1;
    private int faultsLine = NO_LINE;
    private final TreeMap<Integer, Endpoint> peers = new TreeMap<>();
    private final TreeMap<Integer, Endpoint> clients = new TreeMap<>();
    private Path journalDirectory = ClusterTopology.DEFAULT_JOURNAL_DIRECTORY;
    private JournalFlush journalFlush = JournalFlush.NONE;
    private IdleStrategyChoice idleStrategy = IdleStrategyChoice.BACKOFF;
    private long phaseTimeoutMs = ClusterTopology.DEFAULT_PHASE_TIMEOUT_MS;
    private int maxBatchCommands = ClusterTopology.DEFAULT_MAX_BATCH_COMMANDS;
    private int checkpointMb = ClusterTopology.DEFAULT_CHECKPOINT_MB;

    /** One endpoint as written, with the key and line it came from (for messages). */
    private record Endpoint(String label, String endpoint, String host, int port, int line)
    {
        /** Hosts compared without case; no DNS, so {@code localhost} and {@code 127.0.0.1} count as different. */
        String hostPort()
        {
            return host.toLowerCase(Locale.ROOT) + ":" + port;
        }
    }

    /** @param sourceName where errors say they are, or null for none (factory methods). */
    TopologyBuilder(final String sourceName)
    {
        this.sourceName = sourceName;
    }

    TopologyException error(final int line, final String detail)
    {
        return new TopologyException(sourceName, line, detail);
    }

    void protocol(final ProtocolName protocol)
    {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
    }

    void replicas(final long replicas, final int line)
    {
        if (replicas < 1 || replicas > ClusterTopology.MAX_REPLICAS)
        {
            throw error(line, "replicas must be from 1 to " + ClusterTopology.MAX_REPLICAS + ", got " + replicas);
        }
        this.replicas = (int)replicas;
    }

    void faults(final long faults, final int line)
    {
        if (faults < 0)
        {
            throw error(line, "faults must be 0 or more, got " + faults);
        }
        this.faults = faults;
        this.faultsLine = line;
    }

    void peer(final int id, final String endpoint, final int line)
    {
        peers.put(id, endpoint("replica." + id, endpoint, line));
    }

    void client(final int id, final String endpoint, final int line)
    {
        clients.put(id, endpoint("replica." + id + ".client", endpoint, line));
    }

    void journalDirectory(final Path journalDirectory)
    {
        this.journalDirectory = Objects.requireNonNull(journalDirectory, "journalDirectory");
    }

    void journalFlush(final JournalFlush journalFlush)
    {
        this.journalFlush = Objects.requireNonNull(journalFlush, "journalFlush");
    }

    void idleStrategy(final IdleStrategyChoice idleStrategy)
    {
        this.idleStrategy = Objects.requireNonNull(idleStrategy, "idleStrategy");
    }

    void phaseTimeoutMs(final long phaseTimeoutMs, final int line)
    {
        if (phaseTimeoutMs < 1 || phaseTimeoutMs > ClusterTopology.MAX_PHASE_TIMEOUT_MS)
        {
            throw error(line, "phase.timeout.ms must be from 1 to " + ClusterTopology.MAX_PHASE_TIMEOUT_MS +
                " (an hour), got " + phaseTimeoutMs);
        }
        this.phaseTimeoutMs = phaseTimeoutMs;
    }

    void maxBatchCommands(final long maxBatchCommands, final int line)
    {
        if (maxBatchCommands < 1 || maxBatchCommands > ClusterTopology.MAX_BATCH_COMMANDS)
        {
            throw error(line, "batch.max.commands must be from 1 to " + ClusterTopology.MAX_BATCH_COMMANDS +
                ", got " + maxBatchCommands);
        }
        this.maxBatchCommands = (int)maxBatchCommands;
    }

    void checkpointMb(final long checkpointMb, final int line)
    {
        if (checkpointMb < 0 || checkpointMb > ClusterTopology.MAX_CHECKPOINT_MB)
        {
            throw error(line, "journal.checkpoint.mb must be from 0 (never) to " + ClusterTopology.MAX_CHECKPOINT_MB +
                ", got " + checkpointMb);
        }
        this.checkpointMb = (int)checkpointMb;
    }

    /** Checks what needs all settings, in a fixed order, and throws the first problem found. */
    ClusterTopology build()
    {
        if (null == protocol)
        {
            throw error(NO_LINE, "missing required key 'protocol': add a line protocol=NAME, NAME one of " +
                ProtocolName.configNames());
        }
        if (0 == replicas)
        {
            throw error(NO_LINE, "missing required key 'replicas': add a line replicas=N, e.g. replicas=3");
        }
        if (faults >= 0 && 2 * faults + 1 > replicas)
        {
            throw error(faultsLine, "faults=" + faults + " needs at least " + (2 * faults + 1) +
                " replicas (2F+1), but replicas=" + replicas + ": lower faults or add replicas");
        }
        final int resolvedFaults = faults >= 0 ? (int)faults : (replicas - 1) / 2;

        checkIdsInRange();
        final Endpoint[] peerEndpoints = new Endpoint[replicas];
        final Endpoint[] clientEndpoints = new Endpoint[replicas];
        for (int id = 0; id < replicas; id++)
        {
            peerEndpoints[id] = peers.get(id);
            if (null == peerEndpoints[id])
            {
                throw error(NO_LINE, "replicas=" + replicas + " but replica." + id + " is missing: " +
                    "add a line replica." + id + "=host:port");
            }
            clientEndpoints[id] = null != clients.get(id) ? clients.get(id) : defaultClient(id, peerEndpoints[id]);
        }
        checkDistinct(peerEndpoints, clientEndpoints);

        return new ClusterTopology(
            protocol, resolvedFaults, endpoints(peerEndpoints), endpoints(clientEndpoints), journalDirectory,
            journalFlush, idleStrategy, phaseTimeoutMs * 1_000_000L, maxBatchCommands, checkpointMb);
    }

    private Endpoint endpoint(final String key, final String endpoint, final int line)
    {
        try
        {
            Channels.validateEndpoint(endpoint);
        }
        catch (final ConfigurationException ex)
        {
            throw error(line, key + ": " + TopologyException.detailOf(ex));
        }

        final int colon = endpoint.lastIndexOf(':');
        final int port = Integer.parseInt(endpoint.substring(colon + 1));
        if (0 == port)
        {
            throw error(line, key + ": port 0 would bind a random port, but the other replicas and clients must " +
                "know it in advance: use a fixed port; got '" + endpoint + "'");
        }

        return new Endpoint(key, endpoint, endpoint.substring(0, colon), port, line);
    }

    private void checkIdsInRange()
    {
        Endpoint first = null;
        for (final Map<Integer, Endpoint> byId : List.of(peers, clients))
        {
            for (final Map.Entry<Integer, Endpoint> entry : byId.entrySet())
            {
                if (entry.getKey() >= replicas && (null == first || entry.getValue().line() < first.line()))
                {
                    first = entry.getValue();
                }
            }
        }
        if (null != first)
        {
            throw error(first.line(), first.label() + ": ids run from 0 to replicas-1 = " + (replicas - 1));
        }
    }

    private Endpoint defaultClient(final int id, final Endpoint peer)
    {
        final int port = peer.port() + 1;
        if (port > 65535)
        {
            throw error(peer.line(), "replica." + id + ".client is not set and its default, peer port + 1 = " + port +
                ", is not a port: lower the port of replica." + id + " or add a line replica." + id +
                ".client=host:port");
        }

        return new Endpoint(
            "replica." + id + ".client (by default peer port + 1)", peer.host() + ":" + port, peer.host(), port,
            peer.line());
    }

    /**
     * Every peer and client endpoint must differ, or two sockets would try to bind one port (or one replica would
     * receive another's traffic). Checked in line order so that the error is on the later of the two lines.
     */
    private void checkDistinct(final Endpoint[] peerEndpoints, final Endpoint[] clientEndpoints)
    {
        final List<Endpoint> all = new ArrayList<>(2 * replicas);
        for (int id = 0; id < replicas; id++)
        {
            all.add(peerEndpoints[id]);
            all.add(clientEndpoints[id]);
        }
        all.sort(Comparator.comparingInt(Endpoint::line)); // stable: a peer stays before its default client

        final Map<String, Endpoint> byHostPort = new HashMap<>();
        for (final Endpoint endpoint : all)
        {
            final Endpoint other = byHostPort.putIfAbsent(endpoint.hostPort(), endpoint);
            if (null != other)
            {
                throw error(endpoint.line(), endpoint.label() + " uses " + endpoint.endpoint() + ", as does " +
                    other.label() + (NO_LINE == other.line() ? "" : " on line " + other.line()) +
                    ": each peer and client endpoint needs its own host:port");
            }
        }
    }

    private static String[] endpoints(final Endpoint[] endpoints)
    {
        final String[] result = new String[endpoints.length];
        for (int i = 0; i < endpoints.length; i++)
        {
            result[i] = endpoints[i].endpoint();
        }

        return result;
    }
}
