package io.roundtable.protocol.dependency;

import io.roundtable.protocol.QuorumSizes;

import java.util.Arrays;

/**
 * The parameters EPaxos and Atlas share: identity, peer order, epoch, timeouts, seed and table size, with one
 * {@link #conclude()} that validates them and derives the quorum sizes the protocol names, and the thrifty fast
 * quorum (this replica and its nearest peers). Errors say what is wrong and how to fix it. The type parameter lets
 * each protocol's setters return its own config, so call sites read {@code new AtlasConfig().replicaId(0).faults(2)}.
 *
 * @param <C> the protocol's config type.
 */
public abstract class DependencyConfig<C extends DependencyConfig<C>>
{
    private final String protocolName;
    private int replicaId = -1;
    private int replicaCount;
    private int[] peerPreference;
    private int epoch;
    private long phaseTimeoutNs = 200_000_000L;
    private long recoveryTimeoutNs = -1;
    private long randomSeed = 0x5DEECE66DL;
    private int initialCapacity = 1024;

    private int fastQuorum;
    private int slowQuorum;
    private long thriftyFastQuorumMask;
    private boolean concluded;

    protected DependencyConfig(final String protocolName)
    {
        this.protocolName = protocolName;
    }

    /** @return this, typed as the protocol's config. */
    protected abstract C self();

    /** Checks the protocol's own parameters once the replica count is known to be valid. */
    protected abstract void validateProtocolParameters();

    /** The fast quorum, coordinator included, for the concluded replica count. */
    protected abstract int deriveFastQuorum();

    /** The slow (Accept) quorum, coordinator included, for the concluded replica count. */
    protected abstract int deriveSlowQuorum();

    public C replicaId(final int replicaId)
    {
        this.replicaId = replicaId;
        return self();
    }

    public C replicaCount(final int replicaCount)
    {
        this.replicaCount = replicaCount;
        return self();
    }

    /**
     * Peers in the order this replica prefers them for thrifty quorums, closest first. Defaults to the ring order
     * {@code id+1, id+2, ...}.
     */
    public C peerPreference(final int... peers)
    {
        this.peerPreference = peers.clone();
        return self();
    }

    public C epoch(final int epoch)
    {
        this.epoch = epoch;
        return self();
    }

    /** How long a phase waits for its thrifty quorum before asking every replica. */
    public C phaseTimeoutNs(final long phaseTimeoutNs)
    {
        this.phaseTimeoutNs = phaseTimeoutNs;
        return self();
    }

    /**
     * How long an instance may stay undecided here (or a dependency stay unknown) before this replica starts
     * recovering it; a random back-off of up to the same again spreads competing recoverers. Default: 4 phase
     * timeouts.
     */
    public C recoveryTimeoutNs(final long recoveryTimeoutNs)
    {
        this.recoveryTimeoutNs = recoveryTimeoutNs;
        return self();
    }

    public C randomSeed(final long randomSeed)
    {
        this.randomSeed = randomSeed;
        return self();
    }

    public C initialCapacity(final int initialCapacity)
    {
        this.initialCapacity = initialCapacity;
        return self();
    }

    public C conclude()
    {
        QuorumSizes.requireReplicaCount(replicaCount);
        if (replicaCount > 64)
        {
            throw new IllegalArgumentException(protocolName + " tracks replies and quorums in 64-bit masks: at " +
                "most 64 replicas, got " + replicaCount);
        }
        validateProtocolParameters();
        if (replicaId < 0 || replicaId >= replicaCount)
        {
            throw new IllegalArgumentException(
                "replicaId must be in [0, " + replicaCount + "), got " + replicaId + ": set replicaId(...)");
        }
        if (peerPreference == null)
        {
            peerPreference = new int[replicaCount - 1];
            for (int i = 1; i < replicaCount; i++)
            {
                peerPreference[i - 1] = (replicaId + i) % replicaCount;
            }
        }
        validatePeers();
        if (phaseTimeoutNs <= 0)
        {
            throw new IllegalArgumentException("phaseTimeoutNs must be positive, got " + phaseTimeoutNs);
        }
        if (recoveryTimeoutNs < 0)
        {
            recoveryTimeoutNs = 4 * phaseTimeoutNs;
        }
        if (recoveryTimeoutNs == 0)
        {
            throw new IllegalArgumentException("recoveryTimeoutNs must be positive");
        }
        fastQuorum = deriveFastQuorum();
        slowQuorum = deriveSlowQuorum();
        long mask = 1L << replicaId;
        for (int i = 0; i < fastQuorum - 1; i++)
        {
            mask |= 1L << peerPreference[i];
        }
        thriftyFastQuorumMask = mask;
        concluded = true;
        return self();
    }

    private void validatePeers()
    {
        if (peerPreference.length != replicaCount - 1)
        {
            throw new IllegalArgumentException("peerPreference must list the " + (replicaCount - 1) +
                " other replicas exactly once, got " + Arrays.toString(peerPreference));
        }
        final boolean[] seen = new boolean[replicaCount];
        for (final int peer : peerPreference)
        {
            if (peer < 0 || peer >= replicaCount || peer == replicaId || seen[peer])
            {
                throw new IllegalArgumentException("peerPreference must list the other replicas exactly once, got " +
                    Arrays.toString(peerPreference) + " for replica " + replicaId + " of " + replicaCount);
            }
            seen[peer] = true;
        }
    }

    public void requireConcluded()
    {
        if (!concluded)
        {
            throw new IllegalStateException("call " + getClass().getSimpleName() + ".conclude() before use");
        }
    }

    public String protocolName()
    {
        return protocolName;
    }

    public int replicaId()
    {
        return replicaId;
    }

    public int replicaCount()
    {
        return replicaCount;
    }

    public int[] peerPreference()
    {
        return peerPreference.clone();
    }

    /** The concluded peer order itself, not a copy: for the core, which only reads it. */
    public int[] peerPreferenceArray()
    {
        return peerPreference;
    }

    public int epoch()
    {
        return epoch;
    }

    public long phaseTimeoutNs()
    {
        return phaseTimeoutNs;
    }

    public long recoveryTimeoutNs()
    {
        return recoveryTimeoutNs;
    }

    public long randomSeed()
    {
        return randomSeed;
    }

    public int initialCapacity()
    {
        return initialCapacity;
    }

    /** The fast quorum, coordinator included (see the protocol's config for its size). */
    public int fastQuorum()
    {
        return fastQuorum;
    }

    /** The slow quorum, coordinator included (see the protocol's config for its size). */
    public int slowQuorum()
    {
        return slowQuorum;
    }

    /** This replica and the {@code fastQuorum − 1} peers it prefers: who a thrifty collect or PreAccept asks. */
    public long thriftyFastQuorumMask()
    {
        return thriftyFastQuorumMask;
    }
}
