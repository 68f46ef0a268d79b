package io.roundtable.protocol.paxos;

import io.roundtable.codecs.InstanceRecordDecoder;
import io.roundtable.codecs.InstanceStatus;
import io.roundtable.codecs.MessageHeaderDecoder;
import io.roundtable.codecs.PaxosBallotRecordDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** Decodes journaled ballot promises and log positions and restores them into the core, in journal order. */
final class PaxosReplayer
{
    private final Paxos paxos;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final InstanceRecordDecoder record = new InstanceRecordDecoder();
    private final PaxosBallotRecordDecoder ballotRecord = new PaxosBallotRecordDecoder();
    private final UnsafeBuffer commandsView = new UnsafeBuffer(0, 0);

    PaxosReplayer(final Paxos paxos)
    {
        this.paxos = paxos;
    }

    void replay(final DirectBuffer buffer, final int offset, final int length)
    {
        header.wrap(buffer, offset);
        if (header.schemaId() == PaxosBallotRecordDecoder.SCHEMA_ID &&
            header.templateId() == PaxosBallotRecordDecoder.TEMPLATE_ID)
        {
            ballotRecord.wrapAndApplyHeader(buffer, offset, header);
            paxos.restorePromise(ballotRecord.promisedBallot());
            return;
        }
        if (header.schemaId() != InstanceRecordDecoder.SCHEMA_ID ||
            header.templateId() != InstanceRecordDecoder.TEMPLATE_ID)
        {
            throw new IllegalStateException("journal record at offset " + offset + " is not a Paxos record " +
                "(schema " + header.schemaId() + ", template " + header.templateId() + "): the journal is corrupt");
        }
        record.wrapAndApplyHeader(buffer, offset, header);
        final long dot = record.dot();
        final InstanceStatus status = record.status();
        final long promised = record.promisedBallot();
        final long accepted = record.acceptedBallot();
        final InstanceRecordDecoder.DepsDecoder deps = record.deps();
        while (deps.hasNext())
        {
            deps.next();
        }
        record.wrapCommands(commandsView);
        final boolean chosen = status == InstanceStatus.COMMITTED || status == InstanceStatus.EXECUTED;
        paxos.restorePosition(dot, chosen, promised, accepted, commandsView, 0, commandsView.capacity());
    }
}
