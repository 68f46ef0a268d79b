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
    private final long[][] emulatedDelaysNs;

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
        this(protocol, faults, peerEndpoints, clientEndpoints, journalDirectory, journalFlush, idleStrategy,
            phaseTimeoutNs, maxBatchCommands, checkpointMb, null);
    }

    private ClusterTopology(
        final ProtocolName protocol,
        final int faults,
        final String[] peerEndpoints,
        final String[] clientEndpoints,
        final Path journalDirectory,
        final JournalFlush journalFlush,
        final IdleStrategyChoice idleStrategy,
        final long phaseTimeoutNs,
        final int maxBatchCommands,
        final int checkpointMb,
        final long[][] emulatedDelaysNs)
    {
        this.emulatedDelaysNs = emulatedDelaysNs;
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
            checkpointMb, emulatedDelaysNs);
    }

    /** This topology with another journal flush policy. */
    public ClusterTopology withJournalFlush(final JournalFlush journalFlush)
    {
        return new ClusterTopology(protocol, faults, peerEndpoints, clientEndpoints, journalDirectory,
            Objects.requireNonNull(journalFlush, "journalFlush"), idleStrategy, phaseTimeoutNs, maxBatchCommands,
            checkpointMb, emulatedDelaysNs);
    }

    /** This topology with another idle strategy for replica and driver threads. */
    public ClusterTopology withIdleStrategy(final IdleStrategyChoice idleStrategy)
    {
        return new ClusterTopology(protocol, faults, peerEndpoints, clientEndpoints, journalDirectory, journalFlush,
            Objects.requireNonNull(idleStrategy, "idleStrategy"), phaseTimeoutNs, maxBatchCommands, checkpointMb,
            emulatedDelaysNs);
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
            idleStrategy, phaseTimeoutNs, maxBatchCommands, checkpointMb, emulatedDelaysNs);
    }

    /**
     * This topology tolerating {@code faults} failures (f), which sizes the fast quorums of Atlas and Tempo.
     *
     * @throws TopologyException if f is negative or 2f+1 exceeds the replicas.
     */
    public ClusterTopology withFaults(final int faults)
    {
        if (faults < 0 || 2 * faults + 1 > peerEndpoints.length)
        {
            throw new TopologyException("faults=" + faults + " needs 0 <= f and at least " + (2 * faults + 1) +
                " replicas (2f+1), but replicas=" + peerEndpoints.length + ": lower faults or add replicas");
        }
        return new ClusterTopology(protocol, faults, peerEndpoints, clientEndpoints, journalDirectory, journalFlush,
            idleStrategy, phaseTimeoutNs, maxBatchCommands, checkpointMb, emulatedDelaysNs);
    }

    /**
     * This topology with another phase timeout: how long a replica waits on a peer before it retries or recovers.
     *
     * @throws TopologyException if it is outside [1, {@link #MAX_PHASE_TIMEOUT_MS}] ms.
     */
    public ClusterTopology withPhaseTimeoutMs(final long phaseTimeoutMs)
    {
        if (phaseTimeoutMs < 1 || phaseTimeoutMs > MAX_PHASE_TIMEOUT_MS)
        {
            throw new TopologyException("phase.timeout.ms must be from 1 to " + MAX_PHASE_TIMEOUT_MS + ", got " +
                phaseTimeoutMs);
        }
        return new ClusterTopology(protocol, faults, peerEndpoints, clientEndpoints, journalDirectory, journalFlush,
            idleStrategy, phaseTimeoutMs * 1_000_000L, maxBatchCommands, checkpointMb, emulatedDelaysNs);
    }

    /**
     * This topology emulating a WAN on the hosts it runs on: each message from replica {@code i} to replica {@code j}
     * waits {@code oneWayDelaysNs[i][j]} in the sender's transport before it leaves (half the pair's round trip).
     * Programmatic only (the benchmark harness and {@code cluster --regions}); not part of the file format.
     *
     * @throws TopologyException if the matrix is not N x N or holds a negative delay.
     */
    public ClusterTopology withEmulatedDelaysNs(final long[][] oneWayDelaysNs)
    {
        final int n = peerEndpoints.length;
        final long[][] copy = new long[n][];
        if (oneWayDelaysNs.length != n)
        {
            throw new TopologyException("emulated delays must be a " + n + " x " + n + " matrix, got " +
                oneWayDelaysNs.length + " rows");
        }
        for (int i = 0; i < n; i++)
        {
            if (oneWayDelaysNs[i].length != n)
            {
                throw new TopologyException("emulated delays row " + i + " has " + oneWayDelaysNs[i].length +
                    " entries, needs " + n);
            }
            for (final long delay : oneWayDelaysNs[i])
            {
                if (delay < 0)
                {
                    throw new TopologyException("emulated delays cannot be negative: " + delay + " ns in row " + i);
                }
            }
            copy[i] = oneWayDelaysNs[i].clone();
        }
        return new ClusterTopology(protocol, faults, peerEndpoints, clientEndpoints, journalDirectory, journalFlush,
            idleStrategy, phaseTimeoutNs, maxBatchCommands, checkpointMb, copy);
    }

    /** The emulated one-way delays from replica {@code id} to each replica, or null when none are emulated. */
    public long[] emulatedDelaysNs(final int id)
    {
        return null == emulatedDelaysNs ? null : emulatedDelaysNs[id].clone();
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
            checkpointMb == that.checkpointMb &&
            Arrays.deepEquals(emulatedDelaysNs, that.emulatedDelaysNs);
    }

    public int hashCode()
    {
        int result = Objects.hash(
            protocol, faults, journalDirectory, journalFlush, idleStrategy, phaseTimeoutNs, maxBatchCommands,
            checkpointMb);
        result = 31 * result + Arrays.hashCode(peerEndpoints);
        result = 31 * result + Arrays.hashCode(clientEndpoints);
        result = 31 * result + Arrays.deepHashCode(emulatedDelaysNs);

        return result;
    }

    /**
     * The topology in the file format with every key explicit, defaults included, so the text reads the same
     * whatever the defaults become: {@code TopologyFile.parse(t.toString(), name)} equals {@code t} unless {@code t}
     * emulates delays, which the file format does not carry.
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
