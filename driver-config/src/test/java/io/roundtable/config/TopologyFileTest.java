package io.roundtable.config;

import io.roundtable.driver.IdleStrategyChoice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class TopologyFileTest
{
    private static final String EVERY_KEY = """
        # a comment, then a blank line

        protocol = atlas
          replicas=5\t
        faults=2
        replica.0=10.0.0.1:40100
        replica.0.client=10.0.0.1:41100
        replica.1=10.0.0.2:40100
        replica.2=[fd00::3]:40100
        replica.3=node-4.example.com:40100
        replica.4.client=10.0.0.5:40101
        replica.4=10.0.0.5:40100
        journal.dir=/var/lib/roundtable
        journal.flush=per-batch
        idle.strategy=busy-spin
        phase.timeout.ms=20
        batch.max.commands=4096
        journal.checkpoint.mb=64
        """;

    @Test
    void parsesEveryKey()
    {
        final ClusterTopology topology = TopologyFile.parse(EVERY_KEY, "cluster.properties");

        assertEquals(ProtocolName.ATLAS, topology.protocol());
        assertEquals(5, topology.replicaCount());
        assertEquals(2, topology.faults());
        assertArrayEquals(
            new String[]{ "10.0.0.1:40100", "10.0.0.2:40100", "[fd00::3]:40100", "node-4.example.com:40100",
                "10.0.0.5:40100" },
            topology.peerEndpoints());
        assertArrayEquals(
            new String[]{ "10.0.0.1:41100", "10.0.0.2:40101", "[fd00::3]:40101", "node-4.example.com:40101",
                "10.0.0.5:40101" },
            topology.clientEndpoints());
        assertEquals("[fd00::3]:40100", topology.peerEndpoint(2));
        assertEquals("10.0.0.1:41100", topology.clientEndpoint(0));
        assertEquals(Path.of("/var/lib/roundtable"), topology.journalDirectory());
        assertEquals(Path.of("/var/lib/roundtable/replica-3"), topology.journalDirectory(3));
        assertEquals(JournalFlush.PER_BATCH, topology.journalFlush());
        assertEquals(IdleStrategyChoice.BUSY_SPIN, topology.idleStrategy());
        assertEquals(20_000_000L, topology.phaseTimeoutNs());
        assertEquals(64, topology.checkpointMb());
        assertEquals(4096, topology.maxBatchCommands());
    }

    @Test
    void optionalKeysTakeTheirDefaults()
    {
        final ClusterTopology topology = TopologyFile.parse("""
            protocol=epaxos
            replicas=3
            replica.0=127.0.0.1:40000
            replica.1=127.0.0.1:40010
            replica.2=127.0.0.1:40020
            """, "cluster.properties");

        assertEquals(1, topology.faults());
        assertArrayEquals(
            new String[]{ "127.0.0.1:40001", "127.0.0.1:40011", "127.0.0.1:40021" }, topology.clientEndpoints());
        assertEquals(Path.of("./roundtable-journal"), topology.journalDirectory());
        assertEquals(Path.of("./roundtable-journal/replica-1"), topology.journalDirectory(1));
        assertEquals(JournalFlush.NONE, topology.journalFlush());
        assertEquals(IdleStrategyChoice.BACKOFF, topology.idleStrategy());
        assertEquals(50_000_000L, topology.phaseTimeoutNs());
        assertEquals(256, topology.maxBatchCommands());
    }

    @Test
    void defaultFaultsAreTheMostTheReplicasTolerate()
    {
        assertEquals(0, faultsOf(1));
        assertEquals(0, faultsOf(2));
        assertEquals(1, faultsOf(4));
        assertEquals(2, faultsOf(5));
        assertEquals(7, faultsOf(15));
    }

    @Test
    void parsesTheDocumentedExampleFile() throws URISyntaxException
    {
        final Path file = Path.of(TopologyFileTest.class.getResource("/topology/three-replicas.properties").toURI());

        final ClusterTopology topology = TopologyFile.parse(file);

        assertEquals(ProtocolName.EPAXOS, topology.protocol());
        assertEquals(3, topology.replicaCount());
        assertEquals(1, topology.faults());
        assertArrayEquals(
            new String[]{ "10.0.0.1:40100", "10.0.0.2:40100", "10.0.0.3:40100" }, topology.peerEndpoints());
        assertArrayEquals(
            new String[]{ "10.0.0.1:40101", "10.0.0.2:40101", "10.0.0.3:40101" }, topology.clientEndpoints());
        assertEquals(Path.of("/var/lib/roundtable/replica-2"), topology.journalDirectory(2));
        assertEquals(JournalFlush.PER_BATCH, topology.journalFlush());
        assertEquals(IdleStrategyChoice.BACKOFF, topology.idleStrategy());
        assertEquals(50_000_000L, topology.phaseTimeoutNs());
        assertEquals(256, topology.maxBatchCommands());
    }

    @Test
    void parsesAFileWithWindowsLineEndingsAndAByteOrderMark(@TempDir final Path dir) throws IOException
    {
        final Path file = dir.resolve("cluster.properties");
        Files.writeString(file, "\uFEFFprotocol=paxos\r\nreplicas=1\r\n\r\nreplica.0=localhost:40000\r\n");

        final ClusterTopology topology = TopologyFile.parse(file);

        assertEquals(ProtocolName.PAXOS, topology.protocol());
        assertEquals("localhost:40001", topology.clientEndpoint(0));
    }

    @Test
    void rendersInTheFileFormatAndParsesBackEqual()
    {
        final ClusterTopology topology = TopologyFile.parse(EVERY_KEY, "cluster.properties");

        final String rendered = topology.toString();
        final ClusterTopology reparsed = TopologyFile.parse(rendered, "rendered");

        assertEquals(topology, reparsed);
        assertEquals(topology.hashCode(), reparsed.hashCode());
        assertEquals(rendered, reparsed.toString());
        assertEquals("""
            protocol=atlas
            replicas=5
            faults=2
            replica.0=10.0.0.1:40100
            replica.0.client=10.0.0.1:41100
            replica.1=10.0.0.2:40100
            replica.1.client=10.0.0.2:40101
            replica.2=[fd00::3]:40100
            replica.2.client=[fd00::3]:40101
            replica.3=node-4.example.com:40100
            replica.3.client=node-4.example.com:40101
            replica.4=10.0.0.5:40100
            replica.4.client=10.0.0.5:40101
            journal.dir=/var/lib/roundtable
            journal.flush=per-batch
            idle.strategy=busy-spin
            phase.timeout.ms=20
            batch.max.commands=4096
            journal.checkpoint.mb=64
            """, rendered);
    }

    @Test
    void defaultsRoundTripToo()
    {
        final ClusterTopology topology = TopologyFile.parse(
            "protocol=tempo\nreplicas=1\nreplica.0=127.0.0.1:40000\n", null);

        assertEquals(topology, TopologyFile.parse(topology.toString(), null));
    }

    @Test
    void topologiesThatDifferInOneSettingAreNotEqual()
    {
        final ClusterTopology topology = TopologyFile.parse(EVERY_KEY, "cluster.properties");

        assertNotEquals(topology, TopologyFile.parse(EVERY_KEY.replace("faults=2", "faults=1"), "x"));
        assertNotEquals(topology, TopologyFile.parse(EVERY_KEY.replace("41100", "41200"), "x"));
        assertNotEquals(topology, TopologyFile.parse(EVERY_KEY.replace("=20", "=21"), "x"));
        assertNotEquals(topology, TopologyFile.parse(EVERY_KEY.replace("per-batch", "none"), "x"));
        assertNotEquals(topology, TopologyFile.parse(EVERY_KEY.replace("mb=64", "mb=0"), "x"));
    }

    @Test
    void endpointArraysAreCopies()
    {
        final ClusterTopology topology = TopologyFile.parse(EVERY_KEY, "cluster.properties");

        topology.peerEndpoints()[0] = "changed:1";
        topology.clientEndpoints()[0] = "changed:1";

        assertEquals("10.0.0.1:40100", topology.peerEndpoint(0));
        assertEquals("10.0.0.1:41100", topology.clientEndpoint(0));
    }

    private static int faultsOf(final int replicas)
    {
        final StringBuilder text = new StringBuilder("protocol=epaxos\nreplicas=" + replicas + "\n");
        for (int id = 0; id < replicas; id++)
        {
            text.append("replica.").append(id).append("=127.0.0.1:").append(40000 + 2 * id).append('\n');
        }

        return TopologyFile.parse(text.toString(), null).faults();
    }
}
