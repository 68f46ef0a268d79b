package io.roundtable.protocol;

import io.aeron.exceptions.ConfigurationException;
import io.roundtable.config.ClusterTopology;
import io.roundtable.config.ProtocolName;
import io.roundtable.protocol.atlas.AtlasFactory;
import io.roundtable.protocol.epaxos.EpaxosFactory;
import io.roundtable.protocol.paxos.PaxosFactory;
import io.roundtable.protocol.tempo.TempoFactory;

/**
 * Builds a replica's {@link ReplicaCore} for one protocol: the runtime, the simulator and the tools create every
 * protocol through this one seam, so one name switches between them.
 */
public interface ProtocolFactory
{
    ProtocolFactory EPAXOS = new EpaxosFactory();
    ProtocolFactory ATLAS = new AtlasFactory();
    ProtocolFactory PAXOS = new PaxosFactory();
    ProtocolFactory TEMPO = new TempoFactory();

    /** One replica's core: the protocol and the executor it feeds, wired to the context's outputs. */
    ReplicaCore create(ProtocolContext context);

    /** The f this protocol runs with when nothing says otherwise (the simulator's default). */
    default int defaultFaults(final int replicas)
    {
        return ProtocolContext.maxFaults(replicas);
    }

    /**
     * Refuses cluster sizes this protocol cannot run.
     *
     * @param replicas N.
     * @param faults   f, as the topology gives it (⌊(N−1)/2⌋ unless it says otherwise).
     * @throws ConfigurationException saying what to change in the topology.
     */
    void checkClusterSize(int replicas, int faults);

    /**
     * The factory of a protocol named in a topology file or on a command line.
     *
     * @throws ConfigurationException for a protocol this build has no factory for.
     */
    static ProtocolFactory of(final ProtocolName name)
    {
        if (name == ProtocolName.EPAXOS)
        {
            return EPAXOS;
        }
        if (name == ProtocolName.ATLAS)
        {
            return ATLAS;
        }
        if (name == ProtocolName.PAXOS)
        {
            return PAXOS;
        }
        if (name == ProtocolName.TEMPO)
        {
            return TEMPO;
        }
        throw new ConfigurationException("protocol " + name.configName() + " has no factory in this build");
    }

    /**
     * The factory of a topology's protocol, once the topology's replicas and faults suit that protocol.
     *
     * @throws ConfigurationException saying what to change in the topology.
     */
    static ProtocolFactory of(final ClusterTopology topology)
    {
        final ProtocolFactory factory = of(topology.protocol());
        factory.checkClusterSize(topology.replicaCount(), topology.faults());
        return factory;
    }
}
