package io.roundtable.config;

import io.roundtable.driver.IdleStrategyChoice;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClusterTopologyTest
{
    private static final Path JOURNALS = Path.of("/tmp/rt");

    @Test
    void localhostPutsPeerAndClientPortsSideBySide()
    {
        final ClusterTopology topology = ClusterTopology.localhost(ProtocolName.TEMPO, 3, 40000, JOURNALS);

        assertEquals(ProtocolName.TEMPO, topology.protocol());
        assertEquals(3, topology.replicaCount());
        assertEquals(1, topology.faults());
        assertArrayEquals(
            new String[]{ "127.0.0.1:40000", "127.0.0.1:40002", "127.0.0.1:40004" }, topology.peerEndpoints());
        assertArrayEquals(
            new String[]{ "127.0.0.1:40001", "127.0.0.1:40003", "127.0.0.1:40005" }, topology.clientEndpoints());
        assertEquals(Path.of("/tmp/rt/replica-2"), topology.journalDirectory(2));
        assertEquals(JournalFlush.NONE, topology.journalFlush());
        assertEquals(IdleStrategyChoice.BACKOFF, topology.idleStrategy());
        assertEquals(50_000_000L, topology.phaseTimeoutNs());
        assertEquals(256, topology.maxBatchCommands());
    }

    @Test
    void localhostRendersAndRoundTrips()
    {
        final ClusterTopology topology = ClusterTopology.localhost(ProtocolName.EPAXOS, 1, 40000, JOURNALS);

        assertEquals("""
            protocol=epaxos
            replicas=1
            faults=0
            replica.0=127.0.0.1:40000
            replica.0.client=127.0.0.1:40001
            journal.dir=/tmp/rt
            journal.flush=none
            idle.strategy=backoff
            phase.timeout.ms=50
            batch.max.commands=256
            journal.checkpoint.mb=256
            """, topology.toString());
        assertEquals(topology, TopologyFile.parse(topology.toString(), null));
        assertEquals(
            ClusterTopology.localhost(ProtocolName.EPAXOS, 15, 60000, JOURNALS),
            TopologyFile.parse(ClusterTopology.localhost(ProtocolName.EPAXOS, 15, 60000, JOURNALS).toString(), null));
    }

    @Test
    void withProtocolChangesOnlyTheProtocol()
    {
        final ClusterTopology topology = TopologyFile.parse(
            ClusterTopology.localhost(ProtocolName.EPAXOS, 5, 40000, JOURNALS).withCheckpointMb(7).toString()
                .replace("faults=2", "faults=1"), null);

        final ClusterTopology tempo = topology.withProtocol(ProtocolName.TEMPO);

        assertEquals(ProtocolName.TEMPO, tempo.protocol());
        assertEquals(topology.toString().replace("protocol=epaxos", "protocol=tempo"), tempo.toString());
        assertEquals(topology, tempo.withProtocol(ProtocolName.EPAXOS));
    }

    @Test
    void localhostValidatesLikeTheParserWithoutASource()
    {
        final TopologyException tooMany = assertThrows(
            TopologyException.class, () -> ClusterTopology.localhost(ProtocolName.PAXOS, 16, 40000, JOURNALS));
        assertEquals("replicas must be from 1 to 15, got 16", tooMany.getMessage());
        assertNull(tooMany.sourceName());

        assertEquals("basePort must be from 1 to 65530 so that the 6 ports of 3 replicas fit below 65536, got 65531",
            assertThrows(TopologyException.class,
                () -> ClusterTopology.localhost(ProtocolName.PAXOS, 3, 65531, JOURNALS)).getMessage());
        assertEquals("basePort must be from 1 to 65530 so that the 6 ports of 3 replicas fit below 65536, got 0",
            assertThrows(TopologyException.class,
                () -> ClusterTopology.localhost(ProtocolName.PAXOS, 3, 0, JOURNALS)).getMessage());
        assertEquals("127.0.0.1:65535", ClusterTopology.localhost(ProtocolName.PAXOS, 3, 65530, JOURNALS)
            .clientEndpoint(2));
    }

    @Test
    void replicaIndexesAreChecked()
    {
        final ClusterTopology topology = ClusterTopology.localhost(ProtocolName.ATLAS, 3, 40000, JOURNALS);

        assertThrows(IndexOutOfBoundsException.class, () -> topology.peerEndpoint(3));
        assertThrows(IndexOutOfBoundsException.class, () -> topology.clientEndpoint(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> topology.journalDirectory(3));
    }

    @Test
    void namesParseIgnoringCaseAndListTheChoices()
    {
        assertEquals(ProtocolName.ATLAS, ProtocolName.fromName(" Atlas "));
        assertEquals("atlas", ProtocolName.ATLAS.configName());
        assertEquals("unknown protocol 'raft': use one of epaxos, atlas, tempo, paxos",
            assertThrows(TopologyException.class, () -> ProtocolName.fromName("raft")).getMessage());

        assertEquals(JournalFlush.PER_BATCH, JournalFlush.fromName("PER_BATCH"));
        assertEquals(JournalFlush.PER_BATCH, JournalFlush.fromName("per-batch"));
        assertEquals("per-batch", JournalFlush.PER_BATCH.configName());
        assertEquals("unknown journal flush 'null': use one of none, per-batch",
            assertThrows(TopologyException.class, () -> JournalFlush.fromName(null)).getMessage());
    }

    @Test
    void emulatedDelaysAreCheckedCopiedAndKeptByTheOtherWithers()
    {
        final long[][] delays = {{0, 5, 9}, {5, 0, 7}, {9, 7, 0}};
        final ClusterTopology topology = ClusterTopology.localhost(ProtocolName.ATLAS, 3, 40000, JOURNALS)
            .withEmulatedDelaysNs(delays);
        delays[0][1] = 1000;

        assertArrayEquals(new long[]{ 0, 5, 9 }, topology.emulatedDelaysNs(0));
        assertArrayEquals(new long[]{ 9, 7, 0 }, topology.withJournalFlush(JournalFlush.PER_BATCH).withCheckpointMb(1)
            .withIdleStrategy(IdleStrategyChoice.YIELDING).emulatedDelaysNs(2));
        assertNull(ClusterTopology.localhost(ProtocolName.ATLAS, 3, 40000, JOURNALS).emulatedDelaysNs(0));
        assertThrows(TopologyException.class, () -> topology.withEmulatedDelaysNs(new long[][]{{0, 1}, {1, 0}}));
        assertThrows(TopologyException.class,
            () -> topology.withEmulatedDelaysNs(new long[][]{{0, 1, 2}, {1, 0}, {2, 1, 0}}));
        assertThrows(TopologyException.class,
            () -> topology.withEmulatedDelaysNs(new long[][]{{0, -1, 2}, {1, 0, 1}, {2, 1, 0}}));
    }

    @Test
    void faultsCanBeLoweredWithinTwoFPlusOne()
    {
        final ClusterTopology five = ClusterTopology.localhost(ProtocolName.ATLAS, 5, 40000, JOURNALS);
        assertEquals(2, five.faults());
        assertEquals(1, five.withFaults(1).faults());
        assertEquals(five.peerEndpoints()[4], five.withFaults(1).peerEndpoints()[4]);
        assertThrows(TopologyException.class, () -> five.withFaults(3));
        assertThrows(TopologyException.class, () -> five.withFaults(-1));
    }
}
