package io.roundtable.protocol.tempo;

import io.roundtable.codecs.MessageHeaderEncoder;
import io.roundtable.codecs.TempoRecordEncoder;
import io.roundtable.protocol.JournalSink;
import org.agrona.ExpandableArrayBuffer;

/**
 * Writes an instance's state as one {@code TempoRecord} each time this replica promises something about it (a ballot,
 * a proposal and the attached promises it takes, an accepted or decided timestamp), before any message reveals it.
 * Replay keeps the last record per dot and raises the key clocks to every proposal, accepted and decided timestamp, so
 * a restarted replica never proposes at or below a value it promised. Commands go only into the first record after
 * they were stored (later ones carry an empty field, read as "unchanged"), as {@code EpaxosJournal} does.
 */
final class TempoJournal
{
    private final JournalSink sink;
    private final TempoInstances instances;
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final TempoRecordEncoder record = new TempoRecordEncoder();

    TempoJournal(final JournalSink sink, final TempoInstances instances)
    {
        this.sink = sink;
        this.instances = instances;
    }

    void record(final int slot)
    {
        record(slot, instances.commandsJournaled[slot]);
    }

    /** For a checkpoint: the whole instance, commands included. */
    void recordWithCommands(final int slot)
    {
        record(slot, false);
    }

    private void record(final int slot, final boolean omitCommands)
    {
        record.wrapAndApplyHeader(buffer, 0, header)
            .dot(instances.slots.dotAt(slot))
            .status(TempoPublisher.toStatus(instances.status[slot]))
            .promisedBallot(instances.promisedBallot[slot])
            .acceptedBallot(instances.acceptedBallot[slot])
            .timestamp(instances.timestamp[slot])
            .proposalBallot(instances.proposalBallot[slot])
            .proposal(instances.proposal[slot])
            .fastQuorum(instances.fastQuorum[slot]);
        final int votes = instances.voteCount[slot];
        final TempoRecordEncoder.VotesEncoder group = record.votesCount(votes);
        for (int i = 0; i < votes; i++)
        {
            group.next().key(instances.voteKeys[slot][i]).from(instances.voteFrom[slot][i]);
        }
        if (omitCommands)
        {
            record.putCommands(instances.commands[slot], 0, 0);
        }
        else
        {
            record.putCommands(instances.commands[slot], 0, instances.commandsLength[slot]);
            instances.commandsJournaled[slot] = instances.commandsLength[slot] > 0;
        }
        sink.append(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + record.encodedLength());
    }
}
