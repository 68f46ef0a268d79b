package io.roundtable.journal;

import io.roundtable.codecs.InstanceRecordDecoder;
import io.roundtable.codecs.MessageHeaderDecoder;
import io.roundtable.codecs.PaxosBallotRecordDecoder;
import io.roundtable.codecs.TempoRecordDecoder;
import io.roundtable.config.ProtocolName;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.EnumSet;

/**
 * Which protocols could have written a journal, from its first records, so that a replica started with another
 * protocol is refused with a clear message instead of failing half-way through its replay ("the journal is corrupt")
 * or, worse, reading another protocol's records as its own. Offline and allocating, like {@link JournalPrinter}.
 *
 * <p>The records tell protocols apart only so far: a {@code TempoRecord} is Tempo's, a {@code PaxosBallotRecord}
 * Multi-Paxos's; an {@code InstanceRecord} with a sequence number is EPaxos's (Atlas and Paxos journal seq 0), one
 * with dependencies or a fast quorum is EPaxos's or Atlas's (Paxos journals neither); checkpoint records say nothing.
 * So an EPaxos and an Atlas journal whose records have no seq look alike, as does a Paxos journal that has not yet
 * journaled a ballot: the answer is a set, narrowed record by record, and reading stops once it is down to one.
 */
public final class JournalProtocols
{
    /** Enough to meet a protocol's own records past a checkpoint's state chunks, few enough to stay cheap. */
    public static final int DEFAULT_MAX_RECORDS = 4096;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final InstanceRecordDecoder instanceRecord = new InstanceRecordDecoder();
    private final UnsafeBuffer record = new UnsafeBuffer(0, 0);
    private final EnumSet<ProtocolName> candidates = EnumSet.allOf(ProtocolName.class);

    /** Thrown from the replay handler once the answer cannot narrow any further, so the rest is not read. */
    private static final class Decided extends RuntimeException
    {
        Decided()
        {
            super(null, null, false, false);
        }
    }

    private JournalProtocols()
    {
    }

    /**
     * The protocols that could have written the journal in {@code directory}, judged from at most {@code maxRecords}
     * records from where a replay starts: every protocol when there is no journal there, when its records do not tell
     * (see the class comment), or when they contradict each other (then the journal is damaged, and its replay will
     * say so better than a guess here).
     */
    public static EnumSet<ProtocolName> of(final Path directory, final int maxRecords)
    {
        if (!JournalPrinter.hasQueueFiles(directory))
        {
            return EnumSet.allOf(ProtocolName.class);
        }
        final JournalProtocols protocols = new JournalProtocols();
        final int[] seen = {0};
        try (ChronicleJournal journal = new ChronicleJournal(directory, ChronicleJournal.FlushPolicy.NONE))
        {
            journal.replay((buffer, offset, length) ->
            {
                if (seen[0]++ >= maxRecords || protocols.candidates.size() <= 1)
                {
                    throw new Decided();
                }
                protocols.narrow(buffer, offset, length);
            });
        }
        catch (final Decided ignore)
        {
            // the rest of the journal cannot change the answer, or is not worth reading
        }
        return protocols.candidates.isEmpty() ? EnumSet.allOf(ProtocolName.class) : protocols.candidates;
    }

    private void narrow(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return;
        }
        record.wrap(buffer, offset, length);
        header.wrap(record, 0);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            return;
        }
        switch (header.templateId())
        {
            case TempoRecordDecoder.TEMPLATE_ID:
                candidates.retainAll(EnumSet.of(ProtocolName.TEMPO));
                break;
            case PaxosBallotRecordDecoder.TEMPLATE_ID:
                candidates.retainAll(EnumSet.of(ProtocolName.PAXOS));
                break;
            case InstanceRecordDecoder.TEMPLATE_ID:
                narrowByInstanceRecord(length);
                break;
            default:
                break; // checkpoint records, or a damaged record: no evidence either way
        }
    }

    private void narrowByInstanceRecord(final int length)
    {
        if (header.blockLength() < InstanceRecordDecoder.BLOCK_LENGTH ||
            length < MessageHeaderDecoder.ENCODED_LENGTH + header.blockLength() + 4)
        {
            return;
        }
        final InstanceRecordDecoder decoder = instanceRecord.wrapAndApplyHeader(record, 0, header);
        candidates.retainAll(EnumSet.of(ProtocolName.EPAXOS, ProtocolName.ATLAS, ProtocolName.PAXOS));
        if (decoder.seq() != 0)
        {
            candidates.retainAll(EnumSet.of(ProtocolName.EPAXOS));
        }
        else if (decoder.fastQuorum() != 0 || decoder.deps().count() != 0)
        {
            candidates.retainAll(EnumSet.of(ProtocolName.EPAXOS, ProtocolName.ATLAS));
        }
    }
}
