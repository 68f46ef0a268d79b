package io.roundtable.runtime;

import io.aeron.Aeron;
import io.aeron.exceptions.ConfigurationException;
import io.roundtable.driver.Channels;
import io.roundtable.journal.Journal;
import io.roundtable.protocol.ProtocolFactory;
import io.roundtable.statemachine.StateMachine;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.util.concurrent.TimeUnit;

/**
 * Everything one {@link ReplicaAgent} needs, set fluently and checked by {@link #conclude()}, in the manner of
 * Aeron's contexts. The agent owns the journal and closes it; the Aeron client stays the caller's.
 */
public final class ReplicaContext
{
    /** Journal bytes between checkpoints by default: a few seconds of a busy replica. */
    public static final long DEFAULT_CHECKPOINT_INTERVAL_BYTES = 256L << 20;

    private Aeron aeron;
    private int replicaId = -1;
    private String[] peerEndpoints;
    private String clientEndpoint;
    private ProtocolFactory protocol = ProtocolFactory.EPAXOS;
    private int[] peersByPreference;
    private int faults = -1;
    private StateMachine stateMachine;
    private Journal journal;
    private long phaseTimeoutNs = TimeUnit.MILLISECONDS.toNanos(50);
    private long stallThresholdNs = TimeUnit.MILLISECONDS.toNanos(2);
    private long tickIntervalNs = TimeUnit.MILLISECONDS.toNanos(1);
    private long clientIdleTimeoutNs = TimeUnit.SECONDS.toNanos(10);
    private int maxBatchCommands = 256;
    private int maxBatchBytes = 32 * 1024;
    private long checkpointIntervalBytes = DEFAULT_CHECKPOINT_INTERVAL_BYTES;
    private NanoClock nanoClock = SystemNanoClock.INSTANCE;
    private long[] emulatedDelaysNs;

    public ReplicaContext aeron(final Aeron aeron)
    {
        this.aeron = aeron;
        return this;
    }

    public ReplicaContext replicaId(final int replicaId)
    {
        this.replicaId = replicaId;
        return this;
    }

    /** {@code host:port} of every replica's peer endpoint, indexed by replica id (this one's included). */
    public ReplicaContext peerEndpoints(final String... peerEndpoints)
    {
        this.peerEndpoints = peerEndpoints.clone();
        return this;
    }

    /** {@code host:port} this replica listens on for clients. */
    public ReplicaContext clientEndpoint(final String clientEndpoint)
    {
        this.clientEndpoint = clientEndpoint;
        return this;
    }

    public ReplicaContext protocol(final ProtocolFactory protocol)
    {
        this.protocol = protocol;
        return this;
    }

    /** f, the crashes the protocol is configured for; default ⌊(N−1)/2⌋. */
    public ReplicaContext faults(final int faults)
    {
        this.faults = faults;
        return this;
    }

    /** Peers nearest first (thrifty fast quorums ask the first ones); default: the ids after this one, cyclically. */
    public ReplicaContext peersByPreference(final int... peers)
    {
        this.peersByPreference = peers.clone();
        return this;
    }

    /**
     * Emulates a WAN: every message to replica {@code i} waits {@code oneWayDelaysNs[i]} before it leaves (see
     * {@code transport.EmulatedDelays}). Unless {@link #peersByPreference} is set, peers are then preferred nearest
     * first, as a deployment across those regions would order them. Default: none.
     */
    public ReplicaContext emulatedDelaysNs(final long... oneWayDelaysNs)
    {
        this.emulatedDelaysNs = oneWayDelaysNs.clone();
        return this;
    }

    /** The replicated service; wrapped in de-duplication by the agent. Called on the agent's thread only. */
    public ReplicaContext stateMachine(final StateMachine stateMachine)
    {
        this.stateMachine = stateMachine;
        return this;
    }

    public ReplicaContext journal(final Journal journal)
    {
        this.journal = journal;
        return this;
    }

    public ReplicaContext phaseTimeoutNs(final long phaseTimeoutNs)
    {
        this.phaseTimeoutNs = phaseTimeoutNs;
        return this;
    }

    /**
     * A duty cycle that works this long, or begins this long after the previous one, counts as a stall
     * ({@link ReplicaCounter#DUTY_CYCLE_WORK_STALLS}, {@link ReplicaCounter#DUTY_CYCLE_GAP_STALLS}). Default 2 ms:
     * twice the longest park of the default backoff idle strategy, so an idle replica does not count.
     */
    public ReplicaContext stallThresholdNs(final long stallThresholdNs)
    {
        this.stallThresholdNs = stallThresholdNs;
        return this;
    }

    public ReplicaContext tickIntervalNs(final long tickIntervalNs)
    {
        this.tickIntervalNs = tickIntervalNs;
        return this;
    }

    public ReplicaContext clientIdleTimeoutNs(final long clientIdleTimeoutNs)
    {
        this.clientIdleTimeoutNs = clientIdleTimeoutNs;
        return this;
    }

    /** Most client commands one instance carries. */
    public ReplicaContext maxBatchCommands(final int maxBatchCommands)
    {
        this.maxBatchCommands = maxBatchCommands;
        return this;
    }

    /** Most bytes of commands one instance carries (one command larger than this still goes, alone). */
    public ReplicaContext maxBatchBytes(final int maxBatchBytes)
    {
        this.maxBatchBytes = maxBatchBytes;
        return this;
    }

    /**
     * Journal bytes appended between two checkpoints (0: never checkpoint). A checkpoint snapshots the state machine
     * and re-journals the instances still held, after which the journal releases what came before; it pauses the
     * duty cycle for as long as copying the state takes.
     */
    public ReplicaContext checkpointIntervalBytes(final long checkpointIntervalBytes)
    {
        this.checkpointIntervalBytes = checkpointIntervalBytes;
        return this;
    }

    public ReplicaContext nanoClock(final NanoClock nanoClock)
    {
        this.nanoClock = nanoClock;
        return this;
    }

    /**
     * Checks the settings and fills defaults.
     *
     * @throws ConfigurationException saying which setting is wrong and what it must be.
     */
    public ReplicaContext conclude()
    {
        require(null != aeron, "aeron is not set: connect an Aeron client to a running media driver");
        require(null != peerEndpoints && peerEndpoints.length > 0, "peerEndpoints is not set: one host:port per replica");
        require(replicaId >= 0 && replicaId < peerEndpoints.length,
            "replicaId " + replicaId + " is not in [0, " + peerEndpoints.length + "): one endpoint per replica id");
        for (final String endpoint : peerEndpoints)
        {
            Channels.udp(endpoint); // throws, naming the endpoint, if it is not host:port
        }
        require(null != clientEndpoint, "clientEndpoint is not set: the host:port clients connect to");
        require(checkpointIntervalBytes >= 0,
            "checkpointIntervalBytes is " + checkpointIntervalBytes + ": use 0 to never checkpoint, or a byte count");
        Channels.udp(clientEndpoint);
        require(null != stateMachine, "stateMachine is not set");
        require(null != journal, "journal is not set: a ChronicleJournal for durability, InMemoryJournal for tests");
        require(null != protocol, "protocol is not set");
        require(phaseTimeoutNs > 0, "phaseTimeoutNs must be positive: " + phaseTimeoutNs);
        require(stallThresholdNs > 0, "stallThresholdNs must be positive: " + stallThresholdNs);
        require(tickIntervalNs > 0 && tickIntervalNs <= phaseTimeoutNs,
            "tickIntervalNs must be in (0, phaseTimeoutNs]: " + tickIntervalNs);
        require(maxBatchCommands > 0 && maxBatchCommands <= 4096, "maxBatchCommands must be in [1, 4096]");
        require(maxBatchBytes >= 1024, "maxBatchBytes must be at least 1024: " + maxBatchBytes);
        final int replicaCount = peerEndpoints.length;
        require(null == emulatedDelaysNs || emulatedDelaysNs.length == replicaCount,
            "emulatedDelaysNs must give one delay per replica (" + replicaCount + ")");
        if (null == peersByPreference)
        {
            peersByPreference = new int[replicaCount - 1];
            for (int i = 1; i < replicaCount; i++)
            {
                peersByPreference[i - 1] = (replicaId + i) % replicaCount;
            }
            if (null != emulatedDelaysNs)
            {
                sortByDelay(peersByPreference, emulatedDelaysNs);
            }
        }
        require(peersByPreference.length == replicaCount - 1, "peersByPreference must list every other replica once");
        if (faults < 0)
        {
            faults = (replicaCount - 1) / 2;
        }
        require(2 * faults + 1 <= replicaCount, "faults " + faults + " needs at least " + (2 * faults + 1) +
            " replicas (2f+1), there are " + replicaCount);
        protocol.checkClusterSize(replicaCount, faults);
        return this;
    }

    /** Stable insertion sort, nearest first: peers at the same delay keep their cyclic order. */
    private static void sortByDelay(final int[] peers, final long[] delaysNs)
    {
        for (int i = 1; i < peers.length; i++)
        {
            final int peer = peers[i];
            int j = i - 1;
            while (j >= 0 && delaysNs[peers[j]] > delaysNs[peer])
            {
                peers[j + 1] = peers[j];
                j--;
            }
            peers[j + 1] = peer;
        }
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new ConfigurationException(message);
        }
    }

    /** The emulated one-way delay to each replica, or null for none. */
    public long[] emulatedDelaysNs()
    {
        return emulatedDelaysNs;
    }

    public Aeron aeron()
    {
        return aeron;
    }

    public int replicaId()
    {
        return replicaId;
    }

    public int replicaCount()
    {
        return peerEndpoints.length;
    }

    public String[] peerEndpoints()
    {
        return peerEndpoints.clone();
    }

    public String clientEndpoint()
    {
        return clientEndpoint;
    }

    public ProtocolFactory protocol()
    {
        return protocol;
    }

    public int[] peersByPreference()
    {
        return peersByPreference.clone();
    }

    public StateMachine stateMachine()
    {
        return stateMachine;
    }

    public int faults()
    {
        return faults;
    }

    public long checkpointIntervalBytes()
    {
        return checkpointIntervalBytes;
    }

    public Journal journal()
    {
        return journal;
    }

    public long phaseTimeoutNs()
    {
        return phaseTimeoutNs;
    }

    public long stallThresholdNs()
    {
        return stallThresholdNs;
    }

    public long tickIntervalNs()
    {
        return tickIntervalNs;
    }

    public long clientIdleTimeoutNs()
    {
        return clientIdleTimeoutNs;
    }

    public int maxBatchCommands()
    {
        return maxBatchCommands;
    }

    public int maxBatchBytes()
    {
        return maxBatchBytes;
    }

    public NanoClock nanoClock()
    {
        return nanoClock;
    }
}
