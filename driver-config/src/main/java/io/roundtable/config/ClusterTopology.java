package io.roundtable.config;

import io.roundtable.driver.IdleStrategyChoice;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything every replica of one cluster must agree on: protocol, membership and endpoints, and the settings that
 * shape the protocol's timing. Immutable and validated on construction, so a replica holding one never re-checks it.
 * <p>
 * Read one with {@link TopologyFile}, or make a single-host one with {@link #localhost}. {@link #toString()} renders
 * the topology in the file format, and parsing that text gives an equal topology.
 */
public final class ClusterTopology
{
    /** Replica ids must fit the engine's quorum arithmetic and per-replica tables; 15 is far beyond any real use. */
    public static final int MAX_REPLICAS = 15;

    /** Relative, so that a demo run from a checkout keeps its journals next to it. */
    public static final Path DEFAULT_JOURNAL_DIRECTORY = Path.of("./roundtable-journal");

    /** Well above a LAN or same-region round trip, well below what a client would notice as an outage. */
    public static final long DEFAULT_PHASE_TIMEOUT_MS = 50;

    /** An hour: anything larger is a unit mistake (ns or µs typed as ms), not a timeout. */
    public static final long MAX_PHASE_TIMEOUT_MS = 3_600_000;

    /** Enough to amortise a protocol round over many commands without holding one batch's replies for long. */
    public static final int DEFAULT_MAX_BATCH_COMMANDS = 256;

    /** Bounds the size of one batch's messages and journal records. */
    public static final int MAX_BATCH_COMMANDS = 4096;
    /** Journal mebibytes between checkpoints by default: a few seconds of a busy replica. */
    public static final int DEFAULT_CHECKPOINT_MB = 256;
    /** 1 TiB: beyond it a replica would replay for hours after a restart. */
    public static final int MAX_CHECKPOINT_MB = 1 << 20;

    private static final String LOCALHOST = "127.0.0.1";

    private final ProtocolName protocol;
    private final int faults;
    private final String[] peerEndpoints;
    private final String[] clientEndpoints;
    private final Path journalDirectory;
    private final JournalFlush journalFlush;
    private final IdleStrategyChoice idleStrategy;
    private final long phaseTimeoutNs;
    private final int maxBatchCommands;
    private final int checkpointMb;

    /** Only {@link TopologyBuilder} constructs one, after validating every value. */
    ClusterTopology(
        final ProtocolName protocol,
        final int faults,
        final String[] peerEndpoints,
        final String[] clientEndpoints,
        final Path journalDirectory,
        final JournalFlush journalFlush,
        final IdleStrategyChoice idleStrategy,
        final long phaseTimeoutNs,
        final int maxBatchCommands,
        final int checkpointMb)
    {
        this.protocol = protocol;
        this.faults = faults;
        this.peerEndpoints = peerEndpoints;
        this.clientEndpoints = clientEndpoints;
        this.journalDirectory = journalDirectory;
        this.journalFlush = journalFlush;
        this.idleStrategy = idleStrategy;
        this.phaseTimeoutNs = phaseTimeoutNs;
        this.maxBatchCommands = maxBatchCommands;
        this.checkpointMb = checkpointMb;
    }

    /**
     * A cluster on one host, for demos and tests: replica {@code i} listens for peers on 127.0.0.1:basePort+2i and
     * for clients on basePort+2i+1; everything else takes its default.
     *
     * @throws TopologyException    if {@code replicas} is not in [1, {@link #MAX_REPLICAS}] or the ports would not
     *                              fit in [1, 65535].
     * @throws NullPointerException if {@code protocol} or {@code journalDirectory} is null.
     */
    public static ClusterTopology localhost(
        final ProtocolName protocol, final int replicas, final int basePort, final Path journalDirectory)
    {
        final TopologyBuilder builder = new TopologyBuilder(null);
        builder.protocol(protocol);
        builder.replicas(replicas, TopologyException.NO_LINE);
        builder.journalDirectory(journalDirectory);

        final int maxBasePort = 65536 - 2 * replicas;
        if (basePort < 1 || basePort > maxBasePort)
        {
            throw new TopologyException("basePort must be from 1 to " + maxBasePort + " so that the " +
                (2 * replicas) + " ports of " + replicas + " replicas fit below 65536, got " + basePort);
        }
        for (int id = 0; id < replicas; id++)
        {
            builder.peer(id, LOCALHOST + ":" + (basePort + 2 * id), TopologyException.NO_LINE);
            builder.client(id, LOCALHOST + ":" + (basePort + 2 * id + 1), TopologyException.NO_LINE);
        }

        return builder.build();
    }

    /**
     * This topology running another protocol, as if its file said so: the command line's {@code --protocol} wins over
     * the file's. Faults are protocol-independent here (the protocol's factory checks them when a replica starts).
     */
    public ClusterTopology withProtocol(final ProtocolName protocol)
    {
        return new ClusterTopology(Objects.requireNonNull(protocol, "protocol"), faults, peerEndpoints,
            clientEndpoints, journalDirectory, journalFlush, idleStrategy, phaseTimeoutNs, maxBatchCommands,
            checkpointMb);
    }

    /** This topology with another journal flush policy. */
    public ClusterTopology withJournalFlush(final JournalFlush journalFlush)
    {
        return new ClusterTopology(protocol, faults, peerEndpoints, clientEndpoints, journalDirectory,
            Objects.requireNonNull(journalFlush, "journalFlush"), idleStrategy, phaseTimeoutNs, maxBatchCommands,
            checkpointMb);
    }

    /** This topology with another idle strategy for replica and driver threads. */
    public ClusterTopology withIdleStrategy(final IdleStrategyChoice idleStrategy)
    {
        return new ClusterTopology(protocol, faults, peerEndpoints, clientEndpoints, journalDirectory, journalFlush,
            Objects.requireNonNull(idleStrategy, "idleStrategy"), phaseTimeoutNs, maxBatchCommands, checkpointMb);
    }

    /**
     * This topology checkpointing every {@code checkpointMb} MiB of journal (0: never).
     *
     * @throws TopologyException if it is outside [0, {@link #MAX_CHECKPOINT_MB}].
     */
    public ClusterTopology withCheckpointMb(final int checkpointMb)
    {
        if (checkpointMb < 0 || checkpointMb > MAX_CHECKPOINT_MB)
        {
            throw new TopologyException("journal.checkpoint.mb must be from 0 (never) to " + MAX_CHECKPOINT_MB +
                ", got " + checkpointMb);
        }
        return new ClusterTopology(protocol, faults, peerEndpoints, clientEndpoints, journalDirectory, journalFlush,
            idleStrategy, phaseTimeoutNs, maxBatchCommands, checkpointMb);
    }

    public ProtocolName protocol()
    {
        return protocol;
    }

    /** N, the number of replicas; ids run from 0 to N-1. */
    public int replicaCount()
    {
        return peerEndpoints.length;
    }

    /** F, the crashes the cluster is sized to tolerate: 2F+1 ≤ N; ⌊(N−1)/2⌋ unless the file says otherwise. */
    public int faults()
    {
        return faults;
    }

    /** {@code host:port} that replica {@code id} receives replica-to-replica traffic on. */
    public String peerEndpoint(final int id)
    {
        return peerEndpoints[Objects.checkIndex(id, peerEndpoints.length)];
    }

    /** {@code host:port} that replica {@code id} receives client requests on. */
    public String clientEndpoint(final int id)
    {
        return clientEndpoints[Objects.checkIndex(id, clientEndpoints.length)];
    }

    /** A copy, indexed by replica id. */
    public String[] peerEndpoints()
    {
        return peerEndpoints.clone();
    }

    /** A copy, indexed by replica id. */
    public String[] clientEndpoints()
    {
        return clientEndpoints.clone();
    }

    /** The parent of every replica's journal directory. */
    public Path journalDirectory()
    {
        return journalDirectory;
    }

    /**
     * {@code <journal.dir>/replica-<id>}: one directory per replica, so replicas sharing a host (or a test) never
     * share a journal.
     */
    public Path journalDirectory(final int id)
    {
        Objects.checkIndex(id, peerEndpoints.length);
        return journalDirectory.resolve("replica-" + id);
    }

    public JournalFlush journalFlush()
    {
        return journalFlush;
    }

    public IdleStrategyChoice idleStrategy()
    {
        return idleStrategy;
    }

    /** How long a coordinator waits for a phase's quorum before retrying or recovering, in nanoseconds. */
    public long phaseTimeoutNs()
    {
        return phaseTimeoutNs;
    }

    /** The most client commands a replica proposes in one batch. */
    public int maxBatchCommands()
    {
        return maxBatchCommands;
    }

    /** Journal MiB a replica appends between two checkpoints; 0: it never checkpoints (the journal only grows). */
    public int checkpointMb()
    {
        return checkpointMb;
    }

    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof ClusterTopology))
        {
            return false;
        }

        final ClusterTopology that = (ClusterTopology)o;
        return protocol == that.protocol &&
            faults == that.faults &&
            Arrays.equals(peerEndpoints, that.peerEndpoints) &&
            Arrays.equals(clientEndpoints, that.clientEndpoints) &&
            journalDirectory.equals(that.journalDirectory) &&
            journalFlush == that.journalFlush &&
            idleStrategy == that.idleStrategy &&
            phaseTimeoutNs == that.phaseTimeoutNs &&
            maxBatchCommands == that.maxBatchCommands &&
            checkpointMb == that.checkpointMb;
    }

    public int hashCode()
    {
        int result = Objects.hash(
            protocol, faults, journalDirectory, journalFlush, idleStrategy, phaseTimeoutNs, maxBatchCommands,
            checkpointMb);
        result = 31 * result + Arrays.hashCode(peerEndpoints);
        result = 31 * result + Arrays.hashCode(clientEndpoints);

        return result;
    }

    /**
     * The topology in the file format with every key explicit, defaults included, so the text reads the same
     * whatever the defaults become: {@code TopologyFile.parse(t.toString(), name)} equals {@code t}.
     */
    public String toString()
    {
        final StringBuilder text = new StringBuilder(256 + 64 * peerEndpoints.length)
            .append("protocol=").append(protocol.configName()).append('\n')
            .append("replicas=").append(peerEndpoints.length).append('\n')
            .append("faults=").append(faults).append('\n');
        for (int id = 0; id < peerEndpoints.length; id++)
        {
            text.append("replica.").append(id).append('=').append(peerEndpoints[id]).append('\n')
                .append("replica.").append(id).append(".client=").append(clientEndpoints[id]).append('\n');
        }

        return text
            .append("journal.dir=").append(journalDirectory).append('\n')
            .append("journal.flush=").append(journalFlush.configName()).append('\n')
            .append("idle.strategy=").append(idleStrategy.name().toLowerCase(Locale.ROOT).replace('_', '-'))
            .append('\n')
            .append("phase.timeout.ms=").append(phaseTimeoutNs / 1_000_000L).append('\n')
            .append("batch.max.commands=").append(maxBatchCommands).append('\n')
            .append("journal.checkpoint.mb=").append(checkpointMb).append('\n')
            .toString();
    }
}
