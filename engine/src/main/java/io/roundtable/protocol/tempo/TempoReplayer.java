package io.roundtable.protocol.tempo;

import io.roundtable.codecs.MessageHeaderDecoder;
import io.roundtable.codecs.TempoRecordDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/** Decodes journaled {@code TempoRecord}s and restores them into the core, in journal order. */
final class TempoReplayer
{
    private final Tempo tempo;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final TempoRecordDecoder record = new TempoRecordDecoder();
    private final UnsafeBuffer commandsView = new UnsafeBuffer(0, 0);
    private long[] voteKeys = new long[16];
    private long[] voteFrom = new long[16];

    TempoReplayer(final Tempo tempo)
    {
        this.tempo = tempo;
    }

    void replay(final DirectBuffer buffer, final int offset, final int length)
    {
        header.wrap(buffer, offset);
        if (header.schemaId() != TempoRecordDecoder.SCHEMA_ID || header.templateId() != TempoRecordDecoder.TEMPLATE_ID)
        {
            throw new IllegalStateException("journal record at offset " + offset + " is not a TempoRecord (schema " +
                header.schemaId() + ", template " + header.templateId() + "): the journal is corrupt");
        }
        record.wrapAndApplyHeader(buffer, offset, header);
        final long dot = record.dot();
        final byte status = toStatus(record.statusRaw());
        final long promised = record.promisedBallot();
        final long accepted = record.acceptedBallot();
        final long timestamp = record.timestamp();
        final long proposalBallot = record.proposalBallot();
        final long proposal = record.proposal();
        final long fastQuorum = record.fastQuorum();
        final TempoRecordDecoder.VotesDecoder votes = record.votes();
        final int count = votes.count();
        if (voteKeys.length < count)
        {
            voteKeys = Arrays.copyOf(voteKeys, Math.max(count, voteKeys.length * 2));
            voteFrom = Arrays.copyOf(voteFrom, voteKeys.length);
        }
        for (int i = 0; i < count; i++)
        {
            votes.next();
            voteKeys[i] = votes.key();
            voteFrom[i] = votes.from();
        }
        record.wrapCommands(commandsView);
        tempo.restore(dot, status, promised, accepted, timestamp, proposalBallot, proposal, fastQuorum,
            voteKeys, voteFrom, count, commandsView, 0, commandsView.capacity());
    }

    private static byte toStatus(final short status)
    {
        switch (status)
        {
            case 1:
                return TempoInstances.PROPOSED;
            case 2:
                return TempoInstances.ACCEPTED;
            case 3:
            case 4:
                return TempoInstances.COMMITTED;
            default:
                return TempoInstances.NONE;
        }
    }
}
