package io.roundtable.config;

import io.aeron.exceptions.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every error the parser reports, with its exact text: these tests are the documentation of the messages. Each
 * starts with the source name and, where one line is at fault, its number.
 */
class TopologyFileErrorsTest
{
    private static final String THREE = """
        protocol=epaxos
        replicas=3
        replica.0=127.0.0.1:40000
        replica.1=127.0.0.1:40010
        replica.2=127.0.0.1:40020
        """;

    @Test
    void unknownKeyListsTheKnownOnes()
    {
        assertError(
            "cluster.properties:3: unknown key 'replcas'; known keys: protocol, replicas, faults, replica.<id>, " +
            "replica.<id>.client, journal.dir, journal.flush, journal.checkpoint.mb, idle.strategy, phase.timeout.ms, " +
            "batch.max.commands",
            "protocol=epaxos\n# comment\nreplcas=3\n");
        assertError(
            "cluster.properties:1: unknown key 'replica.1.host'; known keys: " + TopologyFile.KNOWN_KEYS,
            "replica.1.host=x");
        assertError("cluster.properties:1: unknown key 'Protocol'; known keys: " + TopologyFile.KNOWN_KEYS,
            "Protocol=epaxos");
    }

    @Test
    void lineWithoutEqualsOrKey()
    {
        assertError("cluster.properties:2: expected key=value, got 'replicas 3'", "protocol=epaxos\nreplicas 3\n");
        assertError("cluster.properties:1: missing key before '=' in '= 3'", "= 3");
    }

    @Test
    void duplicateKeysNameBothLines()
    {
        assertError("cluster.properties:4: protocol is defined twice, on lines 1 and 4",
            "protocol=epaxos\nreplicas=3\n\nprotocol=atlas\n");
        assertError("cluster.properties:6: replica.1 is defined twice, on lines 4 and 6",
            THREE + "replica.1=127.0.0.1:40030\n");
        assertError("cluster.properties:7: replica.0.client is defined twice, on lines 6 and 7",
            THREE + "replica.0.client=127.0.0.1:40001\nreplica.0.client=127.0.0.1:40002\n");
        assertError("cluster.properties:5: replica.1 is defined twice, on lines 4 and 5",
            THREE.replace("replica.2=", "replica.01="));
    }

    @Test
    void missingRequiredKeys()
    {
        assertError(
            "cluster.properties: missing required key 'protocol': add a line protocol=NAME, NAME one of " +
            "epaxos, atlas, tempo, paxos",
            "");
        assertError("cluster.properties: missing required key 'replicas': add a line replicas=N, e.g. replicas=3",
            "protocol=paxos\n");
    }

    @Test
    void badValues()
    {
        assertError("cluster.properties:1: protocol: unknown protocol 'raft': use one of epaxos, atlas, tempo, paxos",
            "protocol=raft");
        assertError("cluster.properties:1: replicas must be a whole number, e.g. replicas=3; got 'three'",
            "replicas=three");
        assertError("cluster.properties:1: replicas must be from 1 to 15, got 16", "replicas=16");
        assertError("cluster.properties:1: replicas must be from 1 to 15, got 0", "replicas=0");
        assertError("cluster.properties:1: faults must be 0 or more, got -1", "faults=-1");
        assertError("cluster.properties:1: faults must be a whole number, e.g. faults=1; got ''", "faults=");
        assertError("cluster.properties:1: phase.timeout.ms must be a whole number, e.g. phase.timeout.ms=50; " +
            "got '5s'", "phase.timeout.ms=5s");
        assertError("cluster.properties:1: phase.timeout.ms must be from 1 to 3600000 (an hour), got 0",
            "phase.timeout.ms=0");
        assertError("cluster.properties:1: batch.max.commands must be from 1 to 4096, got 5000",
            "batch.max.commands=5000");
        assertError("cluster.properties:1: batch.max.commands must be a whole number, e.g. " +
            "batch.max.commands=256; got '1e3'", "batch.max.commands=1e3");
        assertError("cluster.properties:1: journal.checkpoint.mb must be from 0 (never) to 1048576, got 2000000",
            "journal.checkpoint.mb=2000000");
        assertError("cluster.properties:1: journal.checkpoint.mb must be a whole number, e.g. " +
            "journal.checkpoint.mb=256; got '1GiB'", "journal.checkpoint.mb=1GiB");
        assertError("cluster.properties:1: journal.flush: unknown journal flush 'always': use one of none, per-batch",
            "journal.flush=always");
        assertError("cluster.properties:1: journal.dir must be a directory path, e.g. " +
            "journal.dir=./roundtable-journal; got ''", "journal.dir=");
        assertError("cluster.properties:1: idle.strategy: unknown idle strategy 'fast': use one of " +
            "[BUSY_SPIN, YIELDING, BACKOFF, SLEEPING]", "idle.strategy=fast");
    }

    @Test
    void faultsMustLeaveAMajority()
    {
        assertError(
            "cluster.properties:3: faults=2 needs at least 5 replicas (2F+1), but replicas=3: lower faults or " +
            "add replicas",
            "protocol=epaxos\nreplicas=3\nfaults=2\nreplica.0=h:1\nreplica.1=h:3\nreplica.2=h:5\n");
    }

    @Test
    void badEndpointsReuseTheChannelMessagesPrefixedWithTheKey()
    {
        assertError("cluster.properties:4: replica.1: endpoint must be host:port, e.g. localhost:40123 or " +
            "[::1]:40123; got 'localhost'", THREE.replace("127.0.0.1:40010", "localhost"));
        assertError("cluster.properties:6: replica.0.client: port of endpoint 'h:70000' must be in [0, 65535]",
            THREE + "replica.0.client=h:70000");
        assertError("cluster.properties:3: replica.0: an IPv6 host must be in brackets, e.g. [::1]:40123; " +
            "got '::1:40000'", THREE.replace("127.0.0.1:40000", "::1:40000"));
        assertError("cluster.properties:3: replica.0: endpoint must be host:port, e.g. localhost:40123; got ''",
            THREE.replace("127.0.0.1:40000", ""));
        assertError("cluster.properties:3: replica.0: port 0 would bind a random port, but the other replicas and " +
            "clients must know it in advance: use a fixed port; got '127.0.0.1:0'",
            THREE.replace("127.0.0.1:40000", "127.0.0.1:0"));
    }

    @Test
    void replicaIds()
    {
        assertError("cluster.properties: replicas=3 but replica.2 is missing: add a line replica.2=host:port",
            THREE.replace("replica.2=127.0.0.1:40020\n", ""));
        assertError("cluster.properties:6: replica.5: ids run from 0 to replicas-1 = 2",
            THREE + "replica.5=127.0.0.1:40050\n");
        assertError("cluster.properties:6: replica.3.client: ids run from 0 to replicas-1 = 2",
            THREE + "replica.3.client=127.0.0.1:40050\n");
        assertError("cluster.properties:3: replica id in 'replica.x' must be a whole number from 0, e.g. replica.0",
            THREE.replace("replica.0=", "replica.x="));
        assertError("cluster.properties:1: replica id in 'replica.-1' must be a whole number from 0, e.g. replica.0",
            "replica.-1=h:1");
    }

    @Test
    void outOfRangeIdIsReportedBeforeMissingOne()
    {
        // A typo in an id shows up as the id that is out of range, on its line, rather than as the one now missing.
        assertError("cluster.properties:5: replica.3: ids run from 0 to replicas-1 = 2",
            THREE.replace("replica.2=", "replica.3="));
    }

    @Test
    void twoEndpointsOnOneHostPort()
    {
        assertError("cluster.properties:5: replica.2 uses 127.0.0.1:40000, as does replica.0 on line 3: each peer " +
            "and client endpoint needs its own host:port", THREE.replace("127.0.0.1:40020", "127.0.0.1:40000"));
        assertError("cluster.properties:4: replica.1 uses 127.0.0.1:40001, as does replica.0.client (by default " +
            "peer port + 1) on line 3: each peer and client endpoint needs its own host:port",
            THREE.replace("127.0.0.1:40010", "127.0.0.1:40001"));
        assertError("cluster.properties:6: replica.2.client uses 127.0.0.1:40010, as does replica.1 on line 4: " +
            "each peer and client endpoint needs its own host:port", THREE + "replica.2.client=127.0.0.1:40010\n");
        assertError("cluster.properties:4: replica.1 uses LOCALHOST:40000, as does replica.0 on line 3: each peer " +
            "and client endpoint needs its own host:port",
            THREE.replace("127.0.0.1", "localhost").replace("localhost:40010", "LOCALHOST:40000"));
    }

    @Test
    void defaultClientPortMustExist()
    {
        assertError("cluster.properties:3: replica.0.client is not set and its default, peer port + 1 = 65536, is " +
            "not a port: lower the port of replica.0 or add a line replica.0.client=host:port",
            "protocol=paxos\nreplicas=1\nreplica.0=h:65535\n");
    }

    @Test
    void firstErrorInLineOrderWins()
    {
        assertError("cluster.properties:2: replicas must be a whole number, e.g. replicas=3; got 'x'",
            "protocol=epaxos\nreplicas=x\nprotocol=raft\nbogus=1\n");
    }

    @Test
    void textWithoutANameIsCalledString()
    {
        assertEquals("<string>:1: expected key=value, got 'oops'",
            assertThrows(TopologyException.class, () -> TopologyFile.parse("oops", null)).getMessage());
    }

    @Test
    void unreadableFileNamesThePathAndKeepsTheCause(@TempDir final Path dir)
    {
        final Path file = dir.resolve("missing.properties");

        final TopologyException ex = assertThrows(TopologyException.class, () -> TopologyFile.parse(file));

        assertEquals(file + ": cannot read topology file: no such file", ex.getMessage());
        assertInstanceOf(NoSuchFileException.class, ex.getCause());
        assertEquals(file.toString(), ex.sourceName());
        assertEquals(TopologyException.NO_LINE, ex.lineNumber());
    }

    @Test
    void isAnAeronConfigurationExceptionWithoutAeronsCategoryPrefix()
    {
        final TopologyException ex = assertThrows(
            TopologyException.class, () -> TopologyFile.parse("x", "cluster.properties"));

        assertInstanceOf(ConfigurationException.class, ex);
        assertEquals("cluster.properties", ex.sourceName());
        assertEquals(1, ex.lineNumber());
        assertEquals("expected key=value, got 'x'", ex.detail());
        assertEquals(TopologyException.class.getName() + ": cluster.properties:1: expected key=value, got 'x'",
            ex.toString());
    }

    private static void assertError(final String expectedMessage, final String text)
    {
        final TopologyException ex = assertThrows(
            TopologyException.class, () -> TopologyFile.parse(text, "cluster.properties"));

        assertEquals(expectedMessage, ex.getMessage());
    }
}
