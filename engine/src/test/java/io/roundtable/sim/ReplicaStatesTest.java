package io.roundtable.sim;

import io.roundtable.protocol.ProtocolFactory;
import io.roundtable.statemachine.KeyValueCommands;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicaStatesTest
{
    @Test
    void reportsAKeyWhoseValueDiffersBetweenReplicasThatExecutedTheSameInstances()
    {
        final Simulation simulation =
            new Simulation(new SimulationConfig().seed(4).replicas(3).commandsPerClient(10), ProtocolFactory.EPAXOS);
        final SimulationResult result = simulation.run();
        assertTrue(result.ok(), result.toString());
        final SimReplica[] replicas = {simulation.replica(0), simulation.replica(1), simulation.replica(2)};
        assertEquals(List.of(), ReplicaStates.differences(replicas, simulation.history()));

        final long key = simulation.history().operation(0).key();
        final ExpandableArrayBuffer put = new ExpandableArrayBuffer(64);
        final int length = new KeyValueCommands().put(put, 0, key, new byte[]{1, 2, 3});
        replicas[2].incarnation().store().apply(99, 1, put, 0, length, new ExpandableArrayBuffer(64), 0);

        final List<String> differences = ReplicaStates.differences(replicas, simulation.history());
        assertEquals(1, differences.size(), differences.toString());
        assertTrue(differences.get(0).startsWith("key " + key + " holds a different value at replica 2"),
            differences.get(0));
    }
}
