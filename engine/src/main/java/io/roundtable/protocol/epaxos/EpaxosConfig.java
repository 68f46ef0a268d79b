package io.roundtable.protocol.epaxos;

import io.roundtable.protocol.QuorumSizes;
import io.roundtable.protocol.dependency.DependencyConfig;

/**
 * Static configuration of one EPaxos replica: the parameters shared with Atlas ({@link DependencyConfig}), quorums
 * of F + ⌊(F+1)/2⌋ (fast) and F + 1 (slow), and the amnesia learner mode. {@link #conclude()} validates and derives
 * quorum sizes; errors say what is wrong and how to fix it.
 */
public final class EpaxosConfig extends DependencyConfig<EpaxosConfig>
{
    private boolean learnerOnly;

    public EpaxosConfig()
    {
        super("EPaxos");
    }

    protected EpaxosConfig self()
    {
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

    protected void validateProtocolParameters()
    {
    }

    /** F + ⌊(F+1)/2⌋ replicas including the coordinator. */
    protected int deriveFastQuorum()
    {
        return QuorumSizes.epaxosFastQuorum(replicaCount());
    }

    /** F + 1 replicas including the coordinator. */
    protected int deriveSlowQuorum()
    {
        return QuorumSizes.majority(replicaCount());
    }
}
