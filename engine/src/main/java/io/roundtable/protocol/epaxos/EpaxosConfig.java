package io.roundtable.protocol.epaxos;

import io.roundtable.protocol.QuorumSizes;

import java.util.Arrays;

/**
 * Static configuration of one EPaxos replica. {@link #conclude()} validates and derives quorum sizes; errors say
 * what is wrong and how to fix it.
 */
public final class EpaxosConfig
{
    private int replicaId = -1;
    private int replicaCount;
    private int[] peerPreference;
    private int epoch;
    private long phaseTimeoutNs = 200_000_000L;
    private int initialCapacity = 1024;
    private long recoveryTimeoutNs = -1;
    private long randomSeed = 0x5DEECE66DL;
    private boolean learnerOnly;

    private int fastQuorum;
    private int slowQuorum;
    private boolean concluded;

    public EpaxosConfig replicaId(final int replicaId)
    {
        this.replicaId = replicaId;
        return this;
    }

    public EpaxosConfig replicaCount(final int replicaCount)
    {
        this.replicaCount = replicaCount;
        return this;
    }

    /**
     * Peers in the order this replica prefers them for thrifty quorums, closest first. Defaults to the ring order
     * {@code id+1, id+2, ...}.
     */
    public EpaxosConfig peerPreference(final int... peers)
    {
        this.peerPreference = peers.clone();
        return this;
    }

    public EpaxosConfig epoch(final int epoch)
    {
        this.epoch = epoch;
        return this;
    }

    /** How long the coordinator waits for its thrifty quorum before asking every replica. */
    public EpaxosConfig phaseTimeoutNs(final long phaseTimeoutNs)
    {
        this.phaseTimeoutNs = phaseTimeoutNs;
        return this;
    }

    /**
     * How long an instance may stay undecided here (or a dependency stay unknown) before this replica starts
     * recovering it; a random back-off of up to the same again spreads competing recoverers. Default: 4 phase
     * timeouts.
     */
    public EpaxosConfig recoveryTimeoutNs(final long recoveryTimeoutNs)
    {
        this.recoveryTimeoutNs = recoveryTimeoutNs;
        return this;
    }

    /** Seed of the core's only randomness (recovery back-off), so runs replay exactly. */
    public EpaxosConfig randomSeed(final long randomSeed)
    {
        this.randomSeed = randomSeed;
        return this;
    }

    /**
     * A replica that lost its journal (amnesia) must never vote again under its old identity: it may have promised
     * or voted before the loss and would contradict itself (EPaxos report §5.5). As a learner it casts no vote, does
     * not coordinate or recover, and only learns decisions (Commits, catch-up) until it rejoins under a new identity.
     */
    public EpaxosConfig learnerOnly(final boolean learnerOnly)
    {
        this.learnerOnly = learnerOnly;
        return this;
    }

    public boolean learnerOnly()
    {
        return learnerOnly;
    }

    public EpaxosConfig initialCapacity(final int initialCapacity)
    {
        this.initialCapacity = initialCapacity;
        return this;
    }

    public EpaxosConfig conclude()
    {
        QuorumSizes.requireReplicaCount(replicaCount);
        if (replicaCount > 64)
        {
            throw new IllegalArgumentException("EPaxos tracks replies in a 64-bit mask: at most 64 replicas, got " +
                replicaCount);
        }
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
        fastQuorum = QuorumSizes.epaxosFastQuorum(replicaCount);
        slowQuorum = QuorumSizes.majority(replicaCount);
        concluded = true;
        return this;
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

    void requireConcluded()
    {
        if (!concluded)
        {
            throw new IllegalStateException("call EpaxosConfig.conclude() before use");
        }
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

    int[] peerPreferenceArray()
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

    /** F + ⌊(F+1)/2⌋ replicas including the coordinator. */
    public int fastQuorum()
    {
        return fastQuorum;
    }

    /** F + 1 replicas including the coordinator. */
    public int slowQuorum()
    {
        return slowQuorum;
    }
}
