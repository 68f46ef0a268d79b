package io.roundtable.protocol.dependency;

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
import io.roundtable.protocol.Dot;
import io.roundtable.protocol.MalformedMessageException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

import static io.roundtable.protocol.MalformedMessageException.requireBallot;

/**
 * Decodes dependency-protocol messages (EPaxos, Atlas) with one preallocated flyweight per type and calls the typed
 * handler with primitives (Aeron's adapter half of the adapter/publisher split). Validates header, schema, version
 * and lengths first; bad input goes to {@link DependencyHandler#onUnexpected}, once per message, and is never
 * thrown.
 * <p>
 * Every message is decoded over a view of exactly its fragment: an Aeron fragment is a window into a whole term
 * buffer, so a group count or var-data length pointing past the fragment must hit Agrona's bounds check rather than
 * read the neighbouring message. Enum fields are read raw: the typed accessors throw on an undefined value. A message
 * is validated whole before the handler sees any of it.
 */
public final class DependencyMessageAdapter
{
    private final DependencyHandler handler;
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
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer commandsView = new UnsafeBuffer(0, 0);
    private final int replicaCount;
    private long[] deps = new long[64]; // a Progress message's executed-up-to instances too
    private boolean[] depsCommitted = new boolean[64];
    private int[] origins = new int[64];

    public DependencyMessageAdapter(final DependencyHandler handler, final int replicaCount)
    {
        this.handler = handler;
        this.replicaCount = replicaCount;
    }

    /** @return false if the message was malformed or of an unknown type. */
    public boolean onMessage(final int from, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            handler.onUnexpected(from, -1);
            return false;
        }
        view.wrap(buffer, offset, length);
        header.wrap(view, 0);
        final int templateId = header.templateId();
        final int blockLength = header.blockLength();
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID || header.version() > PreAcceptDecoder.SCHEMA_VERSION ||
            blockLength < rootBlockLength(templateId) || length < MessageHeaderDecoder.ENCODED_LENGTH + blockLength)
        {
            handler.onUnexpected(from, templateId);
            return false;
        }
        final int bodyOffset = MessageHeaderDecoder.ENCODED_LENGTH;
        final int version = header.version();
        try
        {
            switch (templateId)
            {
                case PreAcceptDecoder.TEMPLATE_ID:
                {
                    preAccept.wrap(view, bodyOffset, blockLength, version);
                    final int count = readDeps(preAccept.deps());
                    preAccept.wrapCommands(commandsView);
                    MalformedMessageException.requireWithin(preAccept.limit(), length);
                    handler.onPreAccept(from, requireBallot(preAccept.ballot(), replicaCount), preAccept.dot(),
                        preAccept.seq(), preAccept.fastQuorum(), deps, count, commandsView, 0, commandsView.capacity());
                    return true;
                }
                case PreAcceptOkDecoder.TEMPLATE_ID:
                {
                    preAcceptOk.wrap(view, bodyOffset, blockLength, version);
                    final long ballot = requireBallot(preAcceptOk.ballot(), replicaCount);
                    final long dot = preAcceptOk.dot();
                    final int seq = preAcceptOk.seq();
                    final PreAcceptOkDecoder.DepsDecoder group = preAcceptOk.deps();
                    final int count = group.count();
                    ensureDepsCapacity(count);
                    for (int i = 0; i < count; i++)
                    {
                        group.next();
                        deps[i] = group.dot();
                        depsCommitted[i] = toBoolean(group.committedRaw());
                    }
                    MalformedMessageException.requireWithin(preAcceptOk.limit(), length);
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
                    accept.wrap(view, bodyOffset, blockLength, version);
                    final int count = readDeps(accept.deps());
                    accept.wrapCommands(commandsView);
                    MalformedMessageException.requireWithin(accept.limit(), length);
                    handler.onAccept(from, requireBallot(accept.ballot(), replicaCount), accept.dot(), accept.seq(),
                        deps, count, commandsView, 0, commandsView.capacity());
                    return true;
                }
                case AcceptOkDecoder.TEMPLATE_ID:
                    acceptOk.wrap(view, bodyOffset, blockLength, version);
                    handler.onAcceptOk(from, requireBallot(acceptOk.ballot(), replicaCount), acceptOk.dot());
                    return true;

                case CommitDecoder.TEMPLATE_ID:
                {
                    commit.wrap(view, bodyOffset, blockLength, version);
                    final int count = readDeps(commit.deps());
                    commit.wrapCommands(commandsView);
                    MalformedMessageException.requireWithin(commit.limit(), length);
                    handler.onCommit(from, requireBallot(commit.ballot(), replicaCount), commit.dot(), commit.seq(),
                        deps, count, commandsView, 0, commandsView.capacity());
                    return true;
                }
                case NackDecoder.TEMPLATE_ID:
                    nack.wrap(view, bodyOffset, blockLength, version);
                    handler.onNack(from, requireBallot(nack.ballot(), replicaCount), nack.dot(), nack.promisedBallot());
                    return true;

                case ProgressDecoder.TEMPLATE_ID:
                {
                    progress.wrap(view, bodyOffset, blockLength, version);
                    final int replica = progress.replica();
                    final int count = readProgress(progress.executed());
                    MalformedMessageException.requireWithin(progress.limit(), length);
                    if (replica != from)
                    {
                        handler.onUnexpected(from, templateId);
                        return false;
                    }
                    for (int i = 0; i < count; i++)
                    {
                        handler.onProgress(from, replica, origins[i], deps[i]);
                    }
                    return true;
                }
                case PrepareDecoder.TEMPLATE_ID:
                {
                    prepare.wrap(view, bodyOffset, blockLength, version);
                    final long ballot = requireBallot(prepare.ballot(), replicaCount);
                    final long dot = prepare.dot();
                    prepare.wrapCommands(commandsView);
                    MalformedMessageException.requireWithin(prepare.limit(), length);
                    handler.onPrepare(from, ballot, dot, commandsView, 0, commandsView.capacity());
                    return true;
                }

                case PrepareOkDecoder.TEMPLATE_ID:
                {
                    prepareOk.wrap(view, bodyOffset, blockLength, version);
                    final long ballot = requireBallot(prepareOk.ballot(), replicaCount);
                    final long dot = prepareOk.dot();
                    final byte status = toStatus(prepareOk.statusRaw());
                    final long acceptedBallot = prepareOk.acceptedBallot();
                    final int seq = prepareOk.seq();
                    final long fastQuorum = prepareOk.fastQuorum();
                    final int count = readDeps(prepareOk.deps());
                    prepareOk.wrapCommands(commandsView);
                    MalformedMessageException.requireWithin(prepareOk.limit(), length);
                    handler.onPrepareOk(from, ballot, dot, status, acceptedBallot, seq, fastQuorum, deps, count,
                        commandsView, 0, commandsView.capacity());
                    return true;
                }
                case TryPreAcceptDecoder.TEMPLATE_ID:
                {
                    tryPreAccept.wrap(view, bodyOffset, blockLength, version);
                    final int count = readDeps(tryPreAccept.deps());
                    tryPreAccept.wrapCommands(commandsView);
                    MalformedMessageException.requireWithin(tryPreAccept.limit(), length);
                    handler.onTryPreAccept(from, requireBallot(tryPreAccept.ballot(), replicaCount),
                        tryPreAccept.dot(), tryPreAccept.seq(),
                        tryPreAccept.fastQuorum(), deps, count, commandsView, 0, commandsView.capacity());
                    return true;
                }
                case TryPreAcceptReplyDecoder.TEMPLATE_ID:
                    tryPreAcceptReply.wrap(view, bodyOffset, blockLength, version);
                    handler.onTryPreAcceptReply(from, requireBallot(tryPreAcceptReply.ballot(), replicaCount),
                        tryPreAcceptReply.dot(), toBoolean(tryPreAcceptReply.okRaw()), tryPreAcceptReply.conflictDot(),
                        toStatus(tryPreAcceptReply.conflictStatusRaw()));
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

    /** Every entry, range-checked, before any is applied: a Progress message counts as one message either way. */
    private int readProgress(final ProgressDecoder.ExecutedDecoder group)
    {
        final int count = group.count();
        ensureDepsCapacity(count);
        for (int i = 0; i < count; i++)
        {
            group.next();
            origins[i] = group.originReplica();
            deps[i] = group.instance();
            if (origins[i] < 0 || origins[i] >= replicaCount || deps[i] < 0 || deps[i] > Dot.MAX_INSTANCE)
            {
                throw MalformedMessageException.INSTANCE;
            }
        }
        return count;
    }

    /** From the raw byte: the typed accessor throws IllegalArgumentException on an undefined value. */
    private static byte toStatus(final short status)
    {
        if (status == InstanceStatus.PRE_ACCEPTED.value())
        {
            return DependencyInstances.PRE_ACCEPTED;
        }
        if (status == InstanceStatus.ACCEPTED.value())
        {
            return DependencyInstances.ACCEPTED;
        }
        if (status == InstanceStatus.COMMITTED.value() || status == InstanceStatus.EXECUTED.value())
        {
            return DependencyInstances.COMMITTED;
        }
        if (status == InstanceStatus.NONE.value())
        {
            return DependencyInstances.NONE;
        }
        throw MalformedMessageException.INSTANCE;
    }

    private static boolean toBoolean(final short value)
    {
        if (value == BooleanType.TRUE.value() || value == BooleanType.FALSE.value())
        {
            return value == BooleanType.TRUE.value();
        }
        throw MalformedMessageException.INSTANCE;
    }

    /** The root block of every version so far; a shorter one puts fixed fields past it. 0 for unknown templates. */
    private static int rootBlockLength(final int templateId)
    {
        switch (templateId)
        {
            case PreAcceptDecoder.TEMPLATE_ID: return PreAcceptDecoder.BLOCK_LENGTH;
            case PreAcceptOkDecoder.TEMPLATE_ID: return PreAcceptOkDecoder.BLOCK_LENGTH;
            case AcceptDecoder.TEMPLATE_ID: return AcceptDecoder.BLOCK_LENGTH;
            case AcceptOkDecoder.TEMPLATE_ID: return AcceptOkDecoder.BLOCK_LENGTH;
            case CommitDecoder.TEMPLATE_ID: return CommitDecoder.BLOCK_LENGTH;
            case NackDecoder.TEMPLATE_ID: return NackDecoder.BLOCK_LENGTH;
            case ProgressDecoder.TEMPLATE_ID: return ProgressDecoder.BLOCK_LENGTH;
            case PrepareDecoder.TEMPLATE_ID: return PrepareDecoder.BLOCK_LENGTH;
            case PrepareOkDecoder.TEMPLATE_ID: return PrepareOkDecoder.BLOCK_LENGTH;
            case TryPreAcceptDecoder.TEMPLATE_ID: return TryPreAcceptDecoder.BLOCK_LENGTH;
            case TryPreAcceptReplyDecoder.TEMPLATE_ID: return TryPreAcceptReplyDecoder.BLOCK_LENGTH;
            default: return 0;
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
            origins = Arrays.copyOf(origins, deps.length);
        }
    }
}
