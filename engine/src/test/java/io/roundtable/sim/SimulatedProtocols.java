package io.roundtable.sim;

import io.roundtable.config.ProtocolName;
import io.roundtable.protocol.ProtocolFactory;
import org.junit.jupiter.params.provider.Arguments;

import java.util.List;
import java.util.stream.Stream;

/** The protocols every simulator suite runs, and the replica counts each runs at: one list, one line per protocol. */
final class SimulatedProtocols
{
    static final List<ProtocolName> ALL =
        List.of(ProtocolName.EPAXOS, ProtocolName.ATLAS, ProtocolName.TEMPO, ProtocolName.PAXOS);

    static final int[] REPLICA_COUNTS = {3, 5, 7};

    private SimulatedProtocols()
    {
    }

    /** (protocol, N) for every protocol and replica count. */
    static Stream<Arguments> protocolsAndReplicaCounts()
    {
        return ALL.stream().flatMap(protocol -> java.util.Arrays.stream(REPLICA_COUNTS)
            .mapToObj(replicas -> Arguments.of(protocol, replicas)));
    }

    static ProtocolFactory factory(final ProtocolName protocol)
    {
        return ProtocolFactory.of(protocol);
    }

    /** The name used in suite summaries, e.g. "EPaxos". */
    static String displayName(final ProtocolName protocol)
    {
        switch (protocol)
        {
            case EPAXOS:
                return "EPaxos";
            case ATLAS:
                return "Atlas";
            case TEMPO:
                return "Tempo";
            case PAXOS:
                return "Multi-Paxos";
            default:
                return protocol.configName();
        }
    }
}
