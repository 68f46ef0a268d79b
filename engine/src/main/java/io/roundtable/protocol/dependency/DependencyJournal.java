package io.roundtable.protocol.dependency;

import io.roundtable.codecs.InstanceRecordEncoder;
import io.roundtable.codecs.MessageHeaderEncoder;
import io.roundtable.protocol.DotSet;
import io.roundtable.protocol.JournalSink;
import org.agrona.ExpandableArrayBuffer;

/**
 * Writes an instance's state as one {@code InstanceRecord} each time this replica promises something about it, so
 * replay keeps the last record per dot. The commands (the bulk of a record once batches grow) go only into the first
 * record after they were stored; later records of the same dot carry an empty commands field, which replay reads as
 * "unchanged" (a real batch, even recovery's no-op, is never empty: it has at least its SBE header). Anything that
 * ever trims the journal must therefore keep, per live dot, the last record that carried its commands.
 */
public final class DependencyJournal
{
    private final JournalSink sink;
    private final DependencyInstances instances;
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final InstanceRecordEncoder record = new InstanceRecordEncoder();

    public DependencyJournal(final JournalSink sink, final DependencyInstances instances)
    {
        this.sink = sink;
        this.instances = instances;
    }

    public void record(final int slot)
    {
        record(slot, instances.commandsJournaled[slot]);
    }

    /** For a checkpoint: the whole instance, commands included, whether or not an earlier record carried them. */
    public void recordWithCommands(final int slot)
    {
        record(slot, false);
    }

    private void record(final int slot, final boolean omitCommands)
    {
        record.wrapAndApplyHeader(buffer, 0, header)
            .dot(instances.slots.dotAt(slot))
            .status(DependencyPublisher.toStatus(instances.status[slot]))
            .promisedBallot(instances.promisedBallot[slot])
            .acceptedBallot(instances.acceptedBallot[slot])
            .seq(instances.seq[slot])
            .fastQuorum(instances.fastQuorum[slot]);
        final DotSet deps = instances.deps[slot];
        final InstanceRecordEncoder.DepsEncoder group = record.depsCount(deps.size());
        for (int i = 0; i < deps.size(); i++)
        {
            group.next().dot(deps.get(i));
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
