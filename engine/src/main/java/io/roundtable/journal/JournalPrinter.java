package io.roundtable.journal;

import io.roundtable.codecs.BooleanType;
import io.roundtable.codecs.CheckpointChunkDecoder;
import io.roundtable.codecs.CheckpointRecordDecoder;
import io.roundtable.codecs.CommandBatchDecoder;
import io.roundtable.codecs.InstanceRecordDecoder;
import io.roundtable.codecs.KvCommandDecoder;
import io.roundtable.codecs.KvOperation;
import io.roundtable.codecs.MessageHeaderDecoder;
import io.roundtable.codecs.PaxosBallotRecordDecoder;
import io.roundtable.codecs.TempoRecordDecoder;
import io.roundtable.command.CommandBatchReader;
import io.roundtable.protocol.Ballot;
import io.roundtable.protocol.Dot;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One readable line per journal record, for looking into a replica's journal offline. A damaged record prints as
 * "unreadable" and the dump goes on: a damaged journal is exactly when someone reads it. Allocates freely, as it
 * never runs on a duty cycle. It knows every record a journal holds: {@code InstanceRecord} (EPaxos, Atlas, and Multi-Paxos
 * log positions), {@code TempoRecord}, {@code PaxosBallotRecord} and the checkpoint records; a new record type is one
 * more case in {@code describe}.
 *
 * <p>It prints what a restarted replica would replay: from the first record of the last checkpoint, whose earlier
 * records may already be deleted. Record numbers count from there, and a first line says so.
 */
public final class JournalPrinter
{
    private static final int MAX_COMMANDS_SHOWN = 4;
    private static final int MAX_DEPS_SHOWN = 16;
    private static final int HEX_PREFIX_BYTES = 16;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final InstanceRecordDecoder instanceRecord = new InstanceRecordDecoder();
    private final TempoRecordDecoder tempoRecord = new TempoRecordDecoder();
    private final PaxosBallotRecordDecoder paxosBallotRecord = new PaxosBallotRecordDecoder();
    private final CheckpointRecordDecoder checkpointRecord = new CheckpointRecordDecoder();
    private final CheckpointChunkDecoder checkpointChunk = new CheckpointChunkDecoder();
    private final CommandBatchDecoder batch = new CommandBatchDecoder();
    private final CommandBatchReader batchReader = new CommandBatchReader();
    private final KvCommandDecoder kvCommand = new KvCommandDecoder();
    private final UnsafeBuffer record = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer payload = new UnsafeBuffer(0, 0);
    private long bytesPrinted;

    /** Thrown from the replay handler once {@code limit} records are printed, so the rest is not read. */
    private static final class LimitReached extends RuntimeException
    {
        LimitReached()
        {
            super(null, null, false, false);
        }
    }

    /** Why a record cannot be decoded; becomes the reason of its "unreadable" line. */
    private static final class Unreadable extends RuntimeException
    {
        Unreadable(final String reason)
        {
            super(reason, null, false, false);
        }
    }

    /**
     * Prints records {@code fromRecord..fromRecord+limit-1} (0-based, counted from where replay starts) of the
     * journal; returns how many it printed.
     */
    public static long print(
        final Path journalDirectory, final PrintStream out, final long fromRecord, final long limit)
    {
        final long printed = new JournalPrinter().dump(journalDirectory, out::println, fromRecord, limit);
        out.flush();
        return printed;
    }

    /** As {@link #print}, one line per record to {@code out}; also adds to {@link #bytesPrinted()}. */
    public long dump(final Path journalDirectory, final Consumer<String> out, final long fromRecord, final long limit)
    {
        if (fromRecord < 0 || limit < 0)
        {
            throw new IllegalArgumentException("from and limit must be >= 0: from " + fromRecord + ", limit " + limit);
        }
        requireJournal(journalDirectory);
        final long[] counts = {0, 0}; // records seen, records printed
        try (ChronicleJournal journal = new ChronicleJournal(journalDirectory, ChronicleJournal.FlushPolicy.NONE))
        {
            if (journal.replaysFromCheckpoint() && limit > 0)
            {
                out.accept("(starts at the journal's last checkpoint: earlier records were released; #0 is its " +
                    "first record)");
            }
            journal.replay((buffer, offset, length) ->
            {
                if (counts[1] >= limit)
                {
                    throw new LimitReached();
                }
                final long index = counts[0]++;
                if (index >= fromRecord)
                {
                    out.accept(format(index, buffer, offset, length));
                    counts[1]++;
                    bytesPrinted += length;
                }
            });
        }
        catch (final LimitReached ignore)
        {
            // the rest of the journal is not wanted
        }
        return counts[1];
    }

    /** Total length of the records printed by this printer. */
    public long bytesPrinted()
    {
        return bytesPrinted;
    }

    /** One line for record number {@code index}; never throws for bad bytes. */
    public String format(final long index, final DirectBuffer buffer, final int offset, final int length)
    {
        record.wrap(buffer, offset, length); // bounded: reading past the record throws instead of reading garbage
        try
        {
            return "#" + index + " " + describe(length);
        }
        catch (final Unreadable | IndexOutOfBoundsException | IllegalArgumentException ex)
        {
            final String reason = ex instanceof IndexOutOfBoundsException ? "truncated (" + ex.getMessage() + ")" :
                ex.getMessage();
            return "#" + index + " unreadable record (" + length + " bytes): " + reason + "; bytes " +
                hexPrefix(length);
        }
    }

    private String describe(final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            throw new Unreadable("shorter than the " + MessageHeaderDecoder.ENCODED_LENGTH + "-byte SBE header");
        }
        header.wrap(record, 0);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            throw new Unreadable("schema id " + header.schemaId() + ", expected " + MessageHeaderDecoder.SCHEMA_ID);
        }
        switch (header.templateId())
        {
            case InstanceRecordDecoder.TEMPLATE_ID:
                return describeInstanceRecord(length);
            case TempoRecordDecoder.TEMPLATE_ID:
                return describeTempoRecord(length);
            case PaxosBallotRecordDecoder.TEMPLATE_ID:
                requireBlockLength(PaxosBallotRecordDecoder.BLOCK_LENGTH);
                return "PaxosBallotRecord promised=" +
                    Ballot.toString(paxosBallotRecord.wrapAndApplyHeader(record, 0, header).promisedBallot());
            case CheckpointRecordDecoder.TEMPLATE_ID:
                return describeCheckpoint();
            case CheckpointChunkDecoder.TEMPLATE_ID:
                final CheckpointChunkDecoder chunk = checkpointChunk.wrapAndApplyHeader(record, 0, header);
                return "CheckpointChunk position=" + chunk.position() + " bytes=" + chunk.bytesLength();
            default:
                return "template " + header.templateId() + " (" + length + " bytes)";
        }
    }

    private void requireBlockLength(final int templateBlockLength)
    {
        if (header.blockLength() < templateBlockLength)
        {
            throw new Unreadable("block length " + header.blockLength() + " < " + templateBlockLength);
        }
    }

    private String describeCheckpoint()
    {
        requireBlockLength(CheckpointRecordDecoder.BLOCK_LENGTH);
        final CheckpointRecordDecoder decoder = checkpointRecord.wrapAndApplyHeader(record, 0, header);
        return "CheckpointRecord state=" + decoder.stateLength() + " bytes in " + decoder.chunkCount() +
            " chunks (protocol " + decoder.protocolStateLength() + ", executed set " + decoder.executedLength() +
            ", state machine " + decoder.stateMachineLength() + ") commandsExecuted=" + decoder.commandsExecuted();
    }

    private String describeInstanceRecord(final int length)
    {
        requireBlockLength(InstanceRecordDecoder.BLOCK_LENGTH);
        final InstanceRecordDecoder decoder = instanceRecord.wrapAndApplyHeader(record, 0, header);
        final StringBuilder line = new StringBuilder(160)
            .append("InstanceRecord dot=").append(Dot.toString(decoder.dot()))
            .append(" status=").append(decoder.status())
            .append(" promised=").append(Ballot.toString(decoder.promisedBallot()))
            .append(" accepted=").append(Ballot.toString(decoder.acceptedBallot()))
            .append(" seq=").append(decoder.seq());
        appendReplicas(line.append(" fastQuorum=["), decoder.fastQuorum()).append("] deps=[");
        final InstanceRecordDecoder.DepsDecoder deps = decoder.deps();
        for (int i = 0; i < MAX_DEPS_SHOWN && deps.hasNext(); i++)
        {
            line.append(i == 0 ? "" : ", ").append(Dot.toString(deps.next().dot()));
        }
        appendMore(line, deps.count(), MAX_DEPS_SHOWN).append(']');
        return appendJournaledCommands(line, decoder.limit() + InstanceRecordDecoder.commandsHeaderLength(),
            decoder.commandsLength(), length).toString();
    }

    /** Tempo's record: its proposal is the timestamp it voted for, its votes the promises attached to that. */
    private String describeTempoRecord(final int length)
    {
        requireBlockLength(TempoRecordDecoder.BLOCK_LENGTH);
        final TempoRecordDecoder decoder = tempoRecord.wrapAndApplyHeader(record, 0, header);
        final StringBuilder line = new StringBuilder(160)
            .append("TempoRecord dot=").append(Dot.toString(decoder.dot()))
            .append(" status=").append(decoder.status())
            .append(" promised=").append(Ballot.toString(decoder.promisedBallot()))
            .append(" accepted=").append(Ballot.toString(decoder.acceptedBallot()))
            .append(" timestamp=").append(decoder.timestamp())
            .append(" proposal=").append(decoder.proposal())
            .append(" proposalBallot=").append(Ballot.toString(decoder.proposalBallot()));
        appendReplicas(line.append(" fastQuorum=["), decoder.fastQuorum()).append("] votes=[");
        final TempoRecordDecoder.VotesDecoder votes = decoder.votes();
        for (int i = 0; i < MAX_DEPS_SHOWN && votes.hasNext(); i++)
        {
            votes.next();
            line.append(i == 0 ? "" : ", ").append("k=").append(votes.key()).append(" from ").append(votes.from());
        }
        appendMore(line, votes.count(), MAX_DEPS_SHOWN).append(']');
        return appendJournaledCommands(line, decoder.limit() + TempoRecordDecoder.commandsHeaderLength(),
            decoder.commandsLength(), length).toString();
    }

    /** The replica ids of a bit set, comma-separated. */
    private static StringBuilder appendReplicas(final StringBuilder line, final long replicas)
    {
        for (long mask = replicas; mask != 0; mask &= mask - 1)
        {
            line.append(mask == replicas ? "" : ", ").append(Long.numberOfTrailingZeros(mask));
        }
        return line;
    }

    /** A record's commands field, last in the record; empty when an earlier record of the instance carried them. */
    private StringBuilder appendJournaledCommands(
        final StringBuilder line, final int commandsOffset, final int commandsLength, final int length)
    {
        if (commandsLength < 0 || commandsLength != length - commandsOffset)
        {
            throw new Unreadable("commands field of " + commandsLength + " bytes but " + (length - commandsOffset) +
                " bytes follow it");
        }
        if (commandsLength == 0)
        {
            // the journals write an instance's commands once; later records leave them out
            return line.append(" commands=unchanged");
        }
        return appendCommands(line, commandsOffset, commandsLength);
    }

    private StringBuilder appendCommands(final StringBuilder line, final int offset, final int length)
    {
        if (!batchReader.isValid(record, offset, length))
        {
            throw new Unreadable("commands (" + length + " bytes) are not a valid CommandBatch");
        }
        batch.wrapAndApplyHeader(record, offset, header);
        final CommandBatchDecoder.CommandsDecoder commands = batch.commands();
        line.append(" commands=").append(commands.count()).append(" [");
        for (int i = 0; i < MAX_COMMANDS_SHOWN && commands.hasNext(); i++)
        {
            commands.next();
            line.append(i == 0 ? "" : ", ").append("c=").append(commands.clientId())
                .append(" r=").append(commands.requestNumber()).append(' ');
            final String access = commands.write() == BooleanType.TRUE ? "write" : "read";
            final StringBuilder keys = new StringBuilder();
            for (final CommandBatchDecoder.CommandsDecoder.KeysDecoder key : commands.keys())
            {
                keys.append(keys.length() == 0 ? "" : ", ").append(key.key());
            }
            commands.wrapPayload(payload);
            final String kv = describeKvCommand();
            line.append(kv != null ? kv :
                access + " keys=[" + keys + "] (" + payload.capacity() + " B payload)");
        }
        return appendMore(line, commands.count(), MAX_COMMANDS_SHOWN).append(']');
    }

    /** The payload as a key-value command, or null when it is not one (another state machine's command). */
    private String describeKvCommand()
    {
        final int length = payload.capacity();
        if (length < MessageHeaderDecoder.ENCODED_LENGTH ||
            header.wrap(payload, 0).schemaId() != MessageHeaderDecoder.SCHEMA_ID ||
            header.templateId() != KvCommandDecoder.TEMPLATE_ID || header.blockLength() < KvCommandDecoder.BLOCK_LENGTH)
        {
            return null;
        }
        try
        {
            kvCommand.wrapAndApplyHeader(payload, 0, header);
            final KvOperation operation = kvCommand.operation();
            final long key = kvCommand.key();
            final int expected = kvCommand.skipExpected();
            final int value = kvCommand.skipValue();
            if (kvCommand.limit() != length)
            {
                return null;
            }
            switch (operation)
            {
                case GET:
                    return "GET k=" + key;
                case CAS:
                    return "CAS k=" + key + " (expect " + expected + " B, " + value + " B)";
                default:
                    return operation + " k=" + key + " (" + value + " B)";
            }
        }
        catch (final IndexOutOfBoundsException | IllegalArgumentException ex)
        {
            return null;
        }
    }

    private static StringBuilder appendMore(final StringBuilder line, final int count, final int shown)
    {
        return count > shown ? line.append(", +").append(count - shown).append(" more") : line;
    }

    private String hexPrefix(final int length)
    {
        final StringBuilder hex = new StringBuilder(3 * HEX_PREFIX_BYTES + 4);
        for (int i = 0; i < Math.min(length, HEX_PREFIX_BYTES); i++)
        {
            hex.append(i == 0 ? "" : " ").append(String.format("%02x", record.getByte(i) & 0xFF));
        }
        return length > HEX_PREFIX_BYTES ? hex.append(" ...").toString() : hex.toString();
    }

    /** Refuses a path that holds no queue, so a typo does not silently create an empty journal. */
    private static void requireJournal(final Path directory)
    {
        if (!hasQueueFiles(directory))
        {
            throw new IllegalArgumentException("no journal at " + directory +
                ": expected the journal.dir/replica-<id> directory of a replica");
        }
    }

    /** Whether {@code directory} holds a Chronicle queue: opening a journal where there is none would create one. */
    static boolean hasQueueFiles(final Path directory)
    {
        if (!Files.isDirectory(directory))
        {
            return false;
        }
        try (Stream<Path> files = Files.list(directory))
        {
            return files.anyMatch((file) -> file.getFileName().toString().endsWith(".cq4"));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list journal directory " + directory, ex);
        }
    }
}
