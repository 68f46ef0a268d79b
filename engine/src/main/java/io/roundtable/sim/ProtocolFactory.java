package io.roundtable.sim;

import io.roundtable.protocol.CommitSink;
import io.roundtable.protocol.JournalSink;
import io.roundtable.protocol.Outbox;
import io.roundtable.protocol.Protocol;
import io.roundtable.protocol.epaxos.Epaxos;
import io.roundtable.protocol.epaxos.EpaxosConfig;

/**
 * Builds one replica's protocol core for the simulator (and, later, the runtime), so one simulator runs every
 * protocol.
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
}
