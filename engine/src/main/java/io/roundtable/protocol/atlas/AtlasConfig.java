package io.roundtable.protocol.atlas;

import io.roundtable.protocol.QuorumSizes;
import io.roundtable.protocol.dependency.DependencyConfig;

/**
 * Parameters of one Atlas replica: N = 2F+1 replicas tolerating a configured f (1 ≤ f ≤ F), which sizes the fast
 * quorum ⌊N/2⌋+f, the slow (write) quorum f+1 and the recovery quorum N−f. The rest is shared with EPaxos ({@link
 * DependencyConfig}). Call {@link #conclude()} before use.
 */
public final class AtlasConfig extends DependencyConfig<AtlasConfig>
{
    private int faults = 1;
    private int recoveryQuorum;
    private int majority;

    public AtlasConfig()
    {
        super("Atlas");
    }

    protected AtlasConfig self()
    {
        return this;
    }

    /** f, the crashes tolerated: 1 ≤ f ≤ ⌊(N−1)/2⌋. Default 1, the papers' usual setting. */
    public AtlasConfig faults(final int faults)
    {
        this.faults = faults;
        return this;
    }

    protected void validateProtocolParameters()
    {
        QuorumSizes.requireFaultThreshold(replicaCount(), faults);
    }

    /** ⌊N/2⌋ + f; also derives the quorums only Atlas has. */
    protected int deriveFastQuorum()
    {
        recoveryQuorum = replicaCount() - faults;
        majority = QuorumSizes.majority(replicaCount());
        return QuorumSizes.atlasFastQuorum(replicaCount(), faults);
    }

    /** f + 1: the single-decree consensus's write quorum. */
    protected int deriveSlowQuorum()
    {
        return faults + 1;
    }

    public int faults()
    {
        return faults;
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
