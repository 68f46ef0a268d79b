package io.roundtable.protocol.atlas;

import io.roundtable.protocol.QuorumSizes;

import java.util.Arrays;

/**
 * Parameters of one Atlas replica: N = 2F+1 replicas tolerating a configured f (1 ≤ f ≤ F), which sizes the fast
 * quorum ⌊N/2⌋+f, the slow (write) quorum f+1 and the recovery quorum N−f. Call {@link #conclude()} before use.
 */
public final class AtlasConfig
{
    private int replicaId = -1;
    private int replicaCount;
    private int faults = 1;
    private int[] peerPreference;
    private int epoch;
    private long phaseTimeoutNs = 200_000_000L;
    private long recoveryTimeoutNs = -1;
    private long randomSeed = 0x5DEECE66DL;
    private int initialCapacity = 1024;

    private int fastQuorum;
    private int slowQuorum;
    private int recoveryQuorum;
    private int majority;
    private boolean concluded;

    public AtlasConfig replicaId(final int replicaId)
    {
        this.replicaId = replicaId;
        return this;
    }

    public AtlasConfig replicaCount(final int replicaCount)
    {
        this.replicaCount = replicaCount;
        return this;
    }

    /** f, the crashes tolerated: 1 ≤ f ≤ ⌊(N−1)/2⌋. Default 1, the papers' usual setting. */
    public AtlasConfig faults(final int faults)
    {
        this.faults = faults;
        return this;
    }

    /** Peers closest first: the thrifty quorums ask the first ones. Defaults to the ring order id+1, id+2, ... */
    public AtlasConfig peerPreference(final int... peers)
    {
        this.peerPreference = peers.clone();
        return this;
    }

    public AtlasConfig epoch(final int epoch)
    {
        this.epoch = epoch;
        return this;
    }

    /** How long a phase waits for its thrifty quorum before asking every replica. */
    public AtlasConfig phaseTimeoutNs(final long phaseTimeoutNs)
    {
        this.phaseTimeoutNs = phaseTimeoutNs;
        return this;
    }

    /** How long an instance may stay undecided here before this replica recovers it. Default: 4 phase timeouts. */
    public AtlasConfig recoveryTimeoutNs(final long recoveryTimeoutNs)
    {
        this.recoveryTimeoutNs = recoveryTimeoutNs;
        return this;
    }

    /** Seed of the core's only randomness (recovery back-off), so runs replay exactly. */
    public AtlasConfig randomSeed(final long randomSeed)
    {
        this.randomSeed = randomSeed;
        return this;
    }

    public AtlasConfig initialCapacity(final int initialCapacity)
    {
        this.initialCapacity = initialCapacity;
        return this;
    }

    public AtlasConfig conclude()
    {
        QuorumSizes.requireReplicaCount(replicaCount);
        if (replicaCount > 64)
        {
            throw new IllegalArgumentException("Atlas tracks replies and quorums in 64-bit masks: at most 64 " +
                "replicas, got " + replicaCount);
        }
        QuorumSizes.requireFaultThreshold(replicaCount, faults);
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
        fastQuorum = QuorumSizes.atlasFastQuorum(replicaCount, faults);
        slowQuorum = faults + 1;
        recoveryQuorum = replicaCount - faults;
        majority = QuorumSizes.majority(replicaCount);
        concluded = true;
        return this;
    }

    private void validatePeers()
    {
        final boolean[] seen = new boolean[replicaCount];
        boolean valid = peerPreference.length == replicaCount - 1;
        for (int i = 0; valid && i < peerPreference.length; i++)
        {
            final int peer = peerPreference[i];
            valid = peer >= 0 && peer < replicaCount && peer != replicaId && !seen[peer];
            if (valid)
            {
                seen[peer] = true;
            }
        }
        if (!valid)
        {
            throw new IllegalArgumentException("peerPreference must list the other replicas exactly once, got " +
                Arrays.toString(peerPreference) + " for replica " + replicaId + " of " + replicaCount);
        }
    }

    void requireConcluded()
    {
        if (!concluded)
        {
            throw new IllegalStateException("call AtlasConfig.conclude() before use");
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

    public int faults()
    {
        return faults;
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

    /** ⌊N/2⌋ + f, coordinator included. */
    public int fastQuorum()
    {
        return fastQuorum;
    }

    /** f + 1, coordinator included: the single-decree consensus's write quorum. */
    public int slowQuorum()
    {
        return slowQuorum;
    }

    /** N − f, recoverer included. */
    public int recoveryQuorum()
    {
        return recoveryQuorum;
    }

    /** ⌊N/2⌋ + 1: a widened collect goes slow with the union of this many replies. */
    public int majority()
    {
        return majority;
    }
}
