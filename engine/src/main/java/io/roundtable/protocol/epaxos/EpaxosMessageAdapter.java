package io.roundtable.protocol.epaxos;

import io.roundtable.codecs.AcceptDecoder;
import io.roundtable.codecs.AcceptOkDecoder;
import io.roundtable.codecs.BooleanType;
import io.roundtable.codecs.CommitDecoder;
import io.roundtable.codecs.MessageHeaderDecoder;
import io.roundtable.codecs.InstanceStatus;
import io.roundtable.codecs.NackDecoder;
import io.roundtable.codecs.PrepareDecoder;
import io.roundtable.codecs.ProgressDecoder;
import io.roundtable.codecs.PrepareOkDecoder;
import io.roundtable.codecs.TryPreAcceptDecoder;
import io.roundtable.codecs.TryPreAcceptReplyDecoder;
import io.roundtable.codecs.PreAcceptDecoder;
import io.roundtable.codecs.PreAcceptOkDecoder;
import io.roundtable.protocol.MalformedMessageException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * Decodes EPaxos messages with one preallocated flyweight per type and calls the typed handler with primitives
 * (Aeron's adapter half of the adapter/publisher split). Validates header, schema, version and lengths first; bad
 * input goes to {@link EpaxosHandler#onUnexpected} and is never thrown.
 */
final class EpaxosMessageAdapter
{
    private final EpaxosHandler handler;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final PreAcceptDecoder preAccept = new PreAcceptDecoder();
    private final PreAcceptOkDecoder preAcceptOk = new PreAcceptOkDecoder();
    private final AcceptDecoder accept = new AcceptDecoder();
    private final AcceptOkDecoder acceptOk = new AcceptOkDecoder();
    private final CommitDecoder commit = new CommitDecoder();
    private final NackDecoder nack = new NackDecoder();
    private final PrepareDecoder prepare = new PrepareDecoder();
    private final ProgressDecoder progress = new ProgressDecoder();
    private final PrepareOkDecoder prepareOk = new PrepareOkDecoder();
    private final TryPreAcceptDecoder tryPreAccept = new TryPreAcceptDecoder();
    private final TryPreAcceptReplyDecoder tryPreAcceptReply = new TryPreAcceptReplyDecoder();
    private final UnsafeBuffer commandsView = new UnsafeBuffer(0, 0);
    private long[] deps = new long[64];
    private boolean[] depsCommitted = new boolean[64];

    EpaxosMessageAdapter(final EpaxosHandler handler)
    {
        this.handler = handler;
    }

    /** @return false if the message was malformed or of an unknown type. */
    boolean onMessage(final int from, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            handler.onUnexpected(from, -1);
            return false;
        }
        header.wrap(buffer, offset);
        final int templateId = header.templateId();
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID || header.version() > PreAcceptDecoder.SCHEMA_VERSION ||
            length < MessageHeaderDecoder.ENCODED_LENGTH + header.blockLength())
        {
            handler.onUnexpected(from, templateId);
            return false;
        }
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        final int version = header.version();
        try
        {
            switch (templateId)
            {
                case PreAcceptDecoder.TEMPLATE_ID:
                {
                    preAccept.wrap(buffer, bodyOffset, blockLength, version);
                    final int count = readDeps(preAccept.deps());
                    preAccept.wrapCommands(commandsView);
                    requireWithin(preAccept.limit(), offset, length);
                    handler.onPreAccept(from, preAccept.ballot(), preAccept.dot(), preAccept.seq(),
                        preAccept.fastQuorum(), deps, count, commandsView, 0, commandsView.capacity());
                    return true;
                }
                case PreAcceptOkDecoder.TEMPLATE_ID:
                {
                    preAcceptOk.wrap(buffer, bodyOffset, blockLength, version);
                    final long ballot = preAcceptOk.ballot();
                    final long dot = preAcceptOk.dot();
                    final int seq = preAcceptOk.seq();
                    final PreAcceptOkDecoder.DepsDecoder group = preAcceptOk.deps();
                    final int count = group.count();
                    ensureDepsCapacity(count);
                    for (int i = 0; i < count; i++)
                    {
                        group.next();
                        deps[i] = group.dot();
                        depsCommitted[i] = group.committed() == BooleanType.TRUE;
                    }
                    requireWithin(preAcceptOk.limit(), offset, length);
                    if (!sortedUnique(count))
                    {
                        handler.onUnexpected(from, templateId);
                        return false;
                    }
                    handler.onPreAcceptOk(from, ballot, dot, seq, deps, depsCommitted, count);
                    return true;
                }
                case AcceptDecoder.TEMPLATE_ID:
                {
                    accept.wrap(buffer, bodyOffset, blockLength, version);
                    final int count = readDeps(accept.deps());
                    accept.wrapCommands(commandsView);
                    requireWithin(accept.limit(), offset, length);
                    handler.onAccept(from, accept.ballot(), accept.dot(), accept.seq(), deps, count,
                        commandsView, 0, commandsView.capacity());
                    return true;
                }
                case AcceptOkDecoder.TEMPLATE_ID:
                    acceptOk.wrap(buffer, bodyOffset, blockLength, version);
                    handler.onAcceptOk(from, acceptOk.ballot(), acceptOk.dot());
                    return true;

                case CommitDecoder.TEMPLATE_ID:
                {
                    commit.wrap(buffer, bodyOffset, blockLength, version);
                    final int count = readDeps(commit.deps());
                    commit.wrapCommands(commandsView);
                    requireWithin(commit.limit(), offset, length);
                    handler.onCommit(from, commit.ballot(), commit.dot(), commit.seq(), deps, count,
                        commandsView, 0, commandsView.capacity());
                    return true;
                }
                case NackDecoder.TEMPLATE_ID:
                    nack.wrap(buffer, bodyOffset, blockLength, version);
                    handler.onNack(from, nack.ballot(), nack.dot(), nack.promisedBallot());
                    return true;

                case ProgressDecoder.TEMPLATE_ID:
                {
                    progress.wrap(buffer, bodyOffset, blockLength, version);
                    final int replica = progress.replica();
                    if (replica != from)
                    {
                        handler.onUnexpected(from, templateId);
                        return false;
                    }
                    for (final ProgressDecoder.ExecutedDecoder entry : progress.executed())
                    {
                        handler.onProgress(from, replica, entry.originReplica(), entry.instance());
                    }
                    return true;
                }
                case PrepareDecoder.TEMPLATE_ID:
                    prepare.wrap(buffer, bodyOffset, blockLength, version);
                    handler.onPrepare(from, prepare.ballot(), prepare.dot());
                    return true;

                case PrepareOkDecoder.TEMPLATE_ID:
                {
                    prepareOk.wrap(buffer, bodyOffset, blockLength, version);
                    final long ballot = prepareOk.ballot();
                    final long dot = prepareOk.dot();
                    final byte status = toStatus(prepareOk.status());
                    final long acceptedBallot = prepareOk.acceptedBallot();
                    final int seq = prepareOk.seq();
                    final long fastQuorum = prepareOk.fastQuorum();
                    final int count = readDeps(prepareOk.deps());
                    prepareOk.wrapCommands(commandsView);
                    requireWithin(prepareOk.limit(), offset, length);
                    handler.onPrepareOk(from, ballot, dot, status, acceptedBallot, seq, fastQuorum, deps, count,
                        commandsView, 0, commandsView.capacity());
                    return true;
                }
                case TryPreAcceptDecoder.TEMPLATE_ID:
                {
                    tryPreAccept.wrap(buffer, bodyOffset, blockLength, version);
                    final int count = readDeps(tryPreAccept.deps());
                    tryPreAccept.wrapCommands(commandsView);
                    requireWithin(tryPreAccept.limit(), offset, length);
                    handler.onTryPreAccept(from, tryPreAccept.ballot(), tryPreAccept.dot(), tryPreAccept.seq(),
                        tryPreAccept.fastQuorum(), deps, count, commandsView, 0, commandsView.capacity());
                    return true;
                }
                case TryPreAcceptReplyDecoder.TEMPLATE_ID:
                    tryPreAcceptReply.wrap(buffer, bodyOffset, blockLength, version);
                    handler.onTryPreAcceptReply(from, tryPreAcceptReply.ballot(), tryPreAcceptReply.dot(),
                        tryPreAcceptReply.ok() == BooleanType.TRUE, tryPreAcceptReply.conflictDot(),
                        toStatus(tryPreAcceptReply.conflictStatus()));
                    return true;

                default:
                    handler.onUnexpected(from, templateId);
                    return false;
            }
        }
        catch (final IndexOutOfBoundsException | MalformedMessageException ex)
        {
            // Agrona's bounds checks catch truncated groups and var-data: count and drop, never crash the replica.
            handler.onUnexpected(from, templateId);
            return false;
        }
    }

    private int readDeps(final PreAcceptDecoder.DepsDecoder group)
    {
        final int count = group.count();
        ensureDepsCapacity(count);
        for (int i = 0; i < count; i++)
        {
            deps[i] = group.next().dot();
        }
        return checkedDeps(count);
    }

    private int readDeps(final PrepareOkDecoder.DepsDecoder group)
    {
        final int count = group.count();
        ensureDepsCapacity(count);
        for (int i = 0; i < count; i++)
        {
            deps[i] = group.next().dot();
        }
        return checkedDeps(count);
    }

    private int readDeps(final TryPreAcceptDecoder.DepsDecoder group)
    {
        final int count = group.count();
        ensureDepsCapacity(count);
        for (int i = 0; i < count; i++)
        {
            deps[i] = group.next().dot();
        }
        return checkedDeps(count);
    }

    private static byte toStatus(final InstanceStatus status)
    {
        switch (status)
        {
            case PRE_ACCEPTED:
                return EpaxosInstances.PRE_ACCEPTED;
            case ACCEPTED:
                return EpaxosInstances.ACCEPTED;
            case COMMITTED:
            case EXECUTED:
                return EpaxosInstances.COMMITTED;
            case NONE:
                return EpaxosInstances.NONE;
            default:
                throw MalformedMessageException.INSTANCE;
        }
    }

    private int readDeps(final AcceptDecoder.DepsDecoder group)
    {
        final int count = group.count();
        ensureDepsCapacity(count);
        for (int i = 0; i < count; i++)
        {
            deps[i] = group.next().dot();
        }
        return checkedDeps(count);
    }

    private int readDeps(final CommitDecoder.DepsDecoder group)
    {
        final int count = group.count();
        ensureDepsCapacity(count);
        for (int i = 0; i < count; i++)
        {
            deps[i] = group.next().dot();
        }
        return checkedDeps(count);
    }

    private int checkedDeps(final int count)
    {
        if (!sortedUnique(count))
        {
            throw MalformedMessageException.INSTANCE;
        }
        return count;
    }

    private boolean sortedUnique(final int count)
    {
        for (int i = 1; i < count; i++)
        {
            if (deps[i - 1] >= deps[i])
            {
                return false;
            }
        }
        return true;
    }

    private void ensureDepsCapacity(final int count)
    {
        if (count > deps.length)
        {
            deps = Arrays.copyOf(deps, Math.max(count, deps.length * 2));
            depsCommitted = Arrays.copyOf(depsCommitted, deps.length);
        }
    }

    private static void requireWithin(final int limit, final int offset, final int length)
    {
        if (limit > offset + length)
        {
            throw MalformedMessageException.INSTANCE;
        }
    }
}
