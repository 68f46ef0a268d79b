package io.roundtable.protocol;

import io.aeron.exceptions.ConfigurationException;
import io.roundtable.config.ProtocolName;
import io.roundtable.protocol.epaxos.Epaxos;
import io.roundtable.protocol.epaxos.EpaxosConfig;

/**
 * Builds one replica's protocol core, for the simulator and the Aeron runtime alike, so that both run every protocol.
 */
@FunctionalInterface
public interface ProtocolFactory
{
    Protocol create(
        int replicaId, int replicaCount, int[] peersByPreference, long phaseTimeoutNs,
        Outbox outbox, JournalSink journal, CommitSink commitSink);

    ProtocolFactory EPAXOS = (replicaId, replicaCount, peers, phaseTimeoutNs, outbox, journal, commitSink) ->
        new Epaxos(
            new EpaxosConfig()
                .replicaId(replicaId)
                .replicaCount(replicaCount)
                .peerPreference(peers)
                .phaseTimeoutNs(phaseTimeoutNs)
                .conclude(),
            outbox, journal, commitSink);

    /**
     * The factory of a protocol named in a topology file or on a command line.
     *
     * @throws ConfigurationException for a protocol this build does not implement yet.
     */
    static ProtocolFactory of(final ProtocolName name)
    {
        if (name == ProtocolName.EPAXOS)
        {
            return EPAXOS;
        }
        throw new ConfigurationException("protocol " + name.configName() + " is not implemented yet: use epaxos");
    }
}
