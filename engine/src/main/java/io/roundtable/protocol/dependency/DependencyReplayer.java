package io.roundtable.protocol.dependency;

import io.roundtable.codecs.InstanceRecordDecoder;
import io.roundtable.codecs.InstanceStatus;
import io.roundtable.codecs.MessageHeaderDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/** Decodes journaled {@code InstanceRecord}s and restores them into the core, in journal order. */
public final class DependencyReplayer
{
    private final DependencyRestorer restorer;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final InstanceRecordDecoder record = new InstanceRecordDecoder();
    private final UnsafeBuffer commandsView = new UnsafeBuffer(0, 0);
    private long[] deps = new long[16];

    public DependencyReplayer(final DependencyRestorer restorer)
    {
        this.restorer = restorer;
    }

    public void replay(final DirectBuffer buffer, final int offset, final int length)
    {
        header.wrap(buffer, offset);
        if (header.schemaId() != InstanceRecordDecoder.SCHEMA_ID || header.templateId() != InstanceRecordDecoder.TEMPLATE_ID)
        {
            throw new IllegalStateException("journal record at offset " + offset + " is not an InstanceRecord " +
                "(schema " + header.schemaId() + ", template " + header.templateId() + "): the journal is corrupt");
        }
        record.wrapAndApplyHeader(buffer, offset, header);
        final long dot = record.dot();
        final byte status = toStatus(record.status());
        final long promised = record.promisedBallot();
        final long accepted = record.acceptedBallot();
        final int seq = record.seq();
        final long fastQuorum = record.fastQuorum();
        final InstanceRecordDecoder.DepsDecoder group = record.deps();
        final int count = group.count();
        if (deps.length < count)
        {
            deps = Arrays.copyOf(deps, Math.max(count, deps.length * 2));
        }
        for (int i = 0; i < count; i++)
        {
            deps[i] = group.next().dot();
        }
        record.wrapCommands(commandsView);
        restorer.restore(
            dot, status, promised, accepted, seq, fastQuorum, deps, count, commandsView, 0, commandsView.capacity());
    }

    static byte toStatus(final InstanceStatus status)
    {
        switch (status)
        {
            case PRE_ACCEPTED:
                return DependencyInstances.PRE_ACCEPTED;
            case ACCEPTED:
                return DependencyInstances.ACCEPTED;
            case COMMITTED:
            case EXECUTED:
                return DependencyInstances.COMMITTED;
            default:
                return DependencyInstances.NONE;
        }
    }
}
