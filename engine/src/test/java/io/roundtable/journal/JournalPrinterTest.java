package io.roundtable.journal;

import io.roundtable.codecs.CheckpointChunkEncoder;
import io.roundtable.codecs.CheckpointRecordEncoder;
import io.roundtable.codecs.MessageHeaderEncoder;
import io.roundtable.command.CommandBatchWriter;
import io.roundtable.protocol.Dot;
import io.roundtable.protocol.JournalSink;
import io.roundtable.protocol.Outbox;
import io.roundtable.protocol.epaxos.Epaxos;
import io.roundtable.protocol.epaxos.EpaxosConfig;
import io.roundtable.statemachine.KeyValueCommands;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalPrinterTest
{
    @TempDir
    Path temp;

    private final ArrayDeque<byte[]> network = new ArrayDeque<>(); // to, from, then the message bytes
    private final KeyValueCommands kv = new KeyValueCommands();
    private final CommandBatchWriter writer = new CommandBatchWriter();
    private final ExpandableArrayBuffer batch = new ExpandableArrayBuffer(1024);
    private final ExpandableArrayBuffer command = new ExpandableArrayBuffer(256);

    /** One replica of a 3-replica EPaxos cluster whose messages go through {@link #network}. */
    private final class Replica implements Outbox
    {
        final int id;
        final Epaxos epaxos;
        final ExpandableArrayBuffer sendBuffer = new ExpandableArrayBuffer(1024);

        Replica(final int id, final JournalSink journal)
        {
            this.id = id;
            this.epaxos = new Epaxos(new EpaxosConfig().replicaId(id).replicaCount(3).conclude(), this, journal,
                (dot, seq, deps, depsCount) -> { });
        }

        public MutableDirectBuffer buffer()
        {
            return sendBuffer;
        }

        public void send(final int toReplica, final int length)
        {
            final byte[] message = new byte[length + 2];
            message[0] = (byte)toReplica;
            message[1] = (byte)id;
            sendBuffer.getBytes(0, message, 2, length);
            network.add(message);
        }

        public void sendToAll(final int length)
        {
            for (int to = 0; to < 3; to++)
            {
                if (to != id)
                {
                    send(to, length);
                }
            }
        }
    }

    private void deliverAll(final Replica[] replicas)
    {
        while (!network.isEmpty())
        {
            final byte[] message = network.poll();
            replicas[message[0]].epaxos.onMessage(message[1], new UnsafeBuffer(message), 2, message.length - 2);
        }
    }

    /** Client 77's requests {@code firstRequest..}: a PUT of 8 bytes to key 5, a GET of key 5, then PUTs. */
    private int kvBatch(final int commands, final long firstRequest)
    {
        writer.begin(batch, 0, commands);
        for (int i = 0; i < commands; i++)
        {
            final long key = i == 1 ? 5 : 5 + i;
            final int length = i == 1 ? kv.get(command, 0, key) : kv.put(command, 0, key, new byte[8]);
            writer.add(77, firstRequest + i, i != 1, new long[] {key}, 1, command, 0, length);
        }
        return writer.length();
    }

    private Path journalOfCommittedCluster()
    {
        final Path dir = temp.resolve("replica-0");
        try (ChronicleJournal journal = new ChronicleJournal(dir, ChronicleJournal.FlushPolicy.NONE))
        {
            final Replica[] replicas = {
                new Replica(0, journal), new Replica(1, new InMemoryJournal()), new Replica(2, new InMemoryJournal())};
            replicas[0].epaxos.submit(batch, 0, kvBatch(3, 9));
            replicas[1].epaxos.submit(batch, 0, kvBatch(6, 20));
            deliverAll(replicas);
            assertEquals(3, replicas[0].epaxos.statusOf(Dot.of(0, 1)), "committed at replica 0");
            assertEquals(3, replicas[0].epaxos.statusOf(Dot.of(1, 1)), "committed at replica 0");

            final byte[] garbage = "not an SBE message at all".getBytes(StandardCharsets.US_ASCII);
            journal.append(new UnsafeBuffer(garbage), 0, garbage.length);
            replicas[0].epaxos.submit(batch, 0, kvBatch(1, 30)); // one more record after the garbage
        }
        return dir;
    }

    private static List<String> dump(final Path dir, final long from, final long limit)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final long printed = JournalPrinter.print(
            dir, new PrintStream(bytes, true, StandardCharsets.UTF_8), from, limit);
        final List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        lines.forEach(System.out::println);
        assertEquals(printed, lines.size());
        return lines;
    }

    @Test
    void printsCommittedInstancesOfARealClusterAndGoesOnPastAGarbageRecord()
    {
        final Path dir = journalOfCommittedCluster();
        final List<String> lines = dump(dir, 0, Long.MAX_VALUE);

        assertTrue(lines.size() >= 6, "pre-accept and commit records of both instances, garbage, one more");
        final String proposed = lines.stream()
            .filter((line) -> line.contains("dot=0.1 status=PRE_ACCEPTED")).findFirst().orElseThrow();
        assertTrue(proposed.matches("#\\d+ InstanceRecord dot=0\\.1 status=PRE_ACCEPTED promised=0\\.0\\.0 " +
            "accepted=0\\.0\\.0 seq=\\d+ fastQuorum=\\[.*] deps=\\[.*] commands=3 " +
            "\\[c=77 r=9 PUT k=5 \\(8 B\\), c=77 r=10 GET k=5, c=77 r=11 PUT k=7 \\(8 B\\)]"), proposed);
        final String committed = lines.stream()
            .filter((line) -> line.contains("dot=0.1 status=COMMITTED")).findFirst().orElseThrow();
        assertTrue(committed.endsWith("commands=unchanged"), "commands are journaled once per dot: " + committed);
        final String capped = lines.stream()
            .filter((line) -> line.contains("dot=1.1 status=COMMITTED")).findFirst().orElseThrow();
        assertTrue(capped.endsWith("commands=6 [c=77 r=20 PUT k=5 (8 B), c=77 r=21 GET k=5, c=77 r=22 PUT k=7 " +
            "(8 B), c=77 r=23 PUT k=8 (8 B), +2 more]"), capped);
        assertTrue(lines.stream().anyMatch((line) -> line.contains("deps=[0.1]") || line.contains("deps=[1.1]")),
            "the conflicting instances depend on one another");

        final int garbage = lines.size() - 2;
        assertEquals("#" + garbage + " unreadable record (25 bytes): schema id 28257, expected 7001; " +
            "bytes 6e 6f 74 20 61 6e 20 53 42 45 20 6d 65 73 73 61 ...", lines.get(garbage));
        assertTrue(lines.get(garbage + 1).startsWith("#" + (garbage + 1) + " InstanceRecord dot=0.2 " +
            "status=PRE_ACCEPTED"), lines.get(garbage + 1));
    }

    @Test
    void fromAndLimitSelectARange()
    {
        final Path dir = journalOfCommittedCluster();
        final List<String> all = dump(dir, 0, Long.MAX_VALUE);
        assertEquals(all.subList(2, 4), dump(dir, 2, 2));
        assertEquals(List.of(), dump(dir, 0, 0));
        assertEquals(List.of(), dump(dir, all.size(), 10));
    }

    @Test
    void truncatedAndUnknownRecordsAreNamedNotFatal()
    {
        final Path dir = temp.resolve("replica-1");
        final UnsafeBuffer record = new UnsafeBuffer(new byte[64]);
        try (ChronicleJournal journal = new ChronicleJournal(dir, ChronicleJournal.FlushPolicy.NONE))
        {
            journal.append(record, 0, 3);
            record.putShort(0, (short)0);
            record.putShort(2, (short)99);
            record.putShort(4, (short)7001);
            journal.append(record, 0, 20);
            record.putShort(0, (short)37);
            record.putShort(2, (short)50);
            journal.append(record, 0, 40);
        }
        final List<String> lines = dump(dir, 0, Long.MAX_VALUE);
        assertEquals(3, lines.size());
        assertEquals("#0 unreadable record (3 bytes): shorter than the 8-byte SBE header; bytes 00 00 00",
            lines.get(0));
        assertEquals("#1 template 99 (20 bytes)", lines.get(1));
        assertTrue(lines.get(2).startsWith("#2 unreadable record (40 bytes): truncated"), lines.get(2));
    }

    @Test
    void missingOrEmptyDirectoryIsAClearErrorAndCreatesNothing() throws Exception
    {
        final Path missing = temp.resolve("journal/replica-4");
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> JournalPrinter.print(missing, System.out, 0, Long.MAX_VALUE));
        assertEquals("no journal at " + missing + ": expected the journal.dir/replica-<id> directory of a replica",
            ex.getMessage());
        assertTrue(Files.notExists(missing));

        final Path empty = Files.createDirectory(temp.resolve("empty"));
        assertThrows(IllegalArgumentException.class, () -> JournalPrinter.print(empty, System.out, 0, 1));
        try (var files = Files.list(empty))
        {
            assertEquals(0, files.count(), "no queue was created");
        }
    }

    @Test
    void journalWithACheckpointPrintsFromItAndSaysSo()
    {
        final Path dir = temp.resolve("printed");
        final UnsafeBuffer record = new UnsafeBuffer(new byte[64]);
        record.putShort(0, (short)0);
        record.putShort(2, (short)99);
        record.putShort(4, (short)7001);
        try (ChronicleJournal journal = new ChronicleJournal(dir, ChronicleJournal.FlushPolicy.NONE))
        {
            journal.append(record, 0, 21);
            journal.beginCheckpoint();
            journal.append(record, 0, 20);
            journal.endCheckpoint();
            journal.append(record, 0, 22);
        }
        final List<String> lines = new ArrayList<>();
        assertEquals(2, new JournalPrinter().dump(dir, lines::add, 0, Long.MAX_VALUE), "records, not the header");
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("last checkpoint"), lines.get(0));
        assertEquals("#0 template 99 (20 bytes)", lines.get(1));
        assertEquals("#1 template 99 (22 bytes)", lines.get(2));
    }

    @Test
    void checkpointRecordsAreNamed()
    {
        final Path dir = temp.resolve("checkpoint");
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        try (ChronicleJournal journal = new ChronicleJournal(dir, ChronicleJournal.FlushPolicy.NONE))
        {
            journal.beginCheckpoint();
            final CheckpointRecordEncoder checkpoint =
                new CheckpointRecordEncoder().wrapAndApplyHeader(buffer, 0, header)
                    .stateLength(100).chunkCount(1).protocolStateLength(60).executedLength(28).stateMachineLength(12)
                    .commandsExecuted(4711);
            journal.append(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH +
                checkpoint.encodedLength());
            final CheckpointChunkEncoder chunk =
                new CheckpointChunkEncoder().wrapAndApplyHeader(buffer, 0, header).position(0)
                    .putBytes(new byte[100], 0, 100);
            journal.append(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + chunk.encodedLength());
            journal.endCheckpoint();
        }
        final List<String> lines = new ArrayList<>();
        new JournalPrinter().dump(dir, lines::add, 0, Long.MAX_VALUE);
        assertEquals("#0 CheckpointRecord state=100 bytes in 1 chunks (protocol 60, executed set 28, state machine 12) " +
            "commandsExecuted=4711", lines.get(1));
        assertEquals("#1 CheckpointChunk position=0 bytes=100", lines.get(2));
    }
}
