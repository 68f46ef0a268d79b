package io.roundtable.protocol.paxos;

import io.roundtable.codecs.InstanceRecordEncoder;
import io.roundtable.codecs.InstanceStatus;
import io.roundtable.codecs.MessageHeaderEncoder;
import io.roundtable.codecs.PaxosBallotRecordEncoder;
import io.roundtable.protocol.JournalSink;
import org.agrona.ExpandableArrayBuffer;

/**
 * Journals what this replica promises: the log-wide ballot ({@code PaxosBallotRecord}, before a Promise or a Prepare
 * reveals it) and each position it accepts or learns as chosen ({@code InstanceRecord} with dot {@code 0.s}, before
 * the Accepted or Chosen that reveals it). As in EPaxos, a position's value goes only into the first record after it
 * was stored; later records carry an empty commands field, read back as "unchanged" (a real batch, even a no-op, is
 * never empty: it has its SBE header).
 */
final class PaxosJournal
{
    private final JournalSink sink;
    private final PaxosLog log;
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final InstanceRecordEncoder record = new InstanceRecordEncoder();
    private final PaxosBallotRecordEncoder ballotRecord = new PaxosBallotRecordEncoder();

    PaxosJournal(final JournalSink sink, final PaxosLog log)
    {
        this.sink = sink;
        this.log = log;
    }

    void promise(final long ballot)
    {
        ballotRecord.wrapAndApplyHeader(buffer, 0, header).promisedBallot(ballot);
        sink.append(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + ballotRecord.encodedLength());
    }

    void position(final int slot, final long promised)
    {
        position(slot, promised, log.commandsJournaled[slot]);
    }

    /** For a checkpoint: the whole position, value included, whether or not an earlier record carried it. */
    void positionWithCommands(final int slot, final long promised)
    {
        position(slot, promised, false);
    }

    private void position(final int slot, final long promised, final boolean omitCommands)
    {
        record.wrapAndApplyHeader(buffer, 0, header)
            .dot(log.slots.dotAt(slot))
            .status(log.status[slot] >= PaxosLog.COMMITTED ? InstanceStatus.COMMITTED : InstanceStatus.ACCEPTED)
            .promisedBallot(promised)
            .acceptedBallot(log.acceptedBallot[slot])
            .seq(0)
            .fastQuorum(0);
        record.depsCount(0);
        if (omitCommands)
        {
            record.putCommands(log.commands[slot], 0, 0);
        }
        else
        {
            record.putCommands(log.commands[slot], 0, log.commandsLength[slot]);
            log.commandsJournaled[slot] = log.commandsLength[slot] > 0;
        }
        sink.append(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + record.encodedLength());
    }
}
