package io.roundtable.protocol.dependency;

/** A protocol's coordinator, as the {@link DependencyReplica} ticks it. */
public interface PhaseRetransmitter
{
    /** Resends (and widens) the phases this replica leads whose quorum has not answered within the phase timeout. */
    void retransmitStalledPhases();
}
