package io.roundtable.protocol.dependency;

import io.roundtable.codecs.AcceptEncoder;
import io.roundtable.codecs.AcceptOkEncoder;
import io.roundtable.codecs.BooleanType;
import io.roundtable.codecs.CommitEncoder;
import io.roundtable.codecs.MessageHeaderEncoder;
import io.roundtable.codecs.InstanceStatus;
import io.roundtable.codecs.NackEncoder;
import io.roundtable.codecs.PrepareEncoder;
import io.roundtable.codecs.ProgressEncoder;
import io.roundtable.codecs.PrepareOkEncoder;
import io.roundtable.codecs.TryPreAcceptEncoder;
import io.roundtable.codecs.TryPreAcceptReplyEncoder;
import io.roundtable.codecs.PreAcceptEncoder;
import io.roundtable.codecs.PreAcceptOkEncoder;
import io.roundtable.protocol.DotSet;
import io.roundtable.protocol.Outbox;
import io.roundtable.protocol.ProtocolCounters;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Typed senders of the dependency-protocol messages (EPaxos, Atlas): each encodes one message into the outbox buffer
 * with a preallocated flyweight and sends it (the publisher half of the adapter/publisher split). Destinations: one
 * replica, a list of replicas, or all peers.
 */
public final class DependencyPublisher
{
    public static final int ALL = -1;
    private static final DirectBuffer NO_COMMANDS = new org.agrona.concurrent.UnsafeBuffer(new byte[0]);

    private final Outbox outbox;
    private final ProtocolCounters counters;
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final PreAcceptEncoder preAccept = new PreAcceptEncoder();
    private final PreAcceptOkEncoder preAcceptOk = new PreAcceptOkEncoder();
    private final AcceptEncoder accept = new AcceptEncoder();
    private final AcceptOkEncoder acceptOk = new AcceptOkEncoder();
    private final CommitEncoder commit = new CommitEncoder();
    private final NackEncoder nack = new NackEncoder();
    private final PrepareEncoder prepare = new PrepareEncoder();
    private final ProgressEncoder progress = new ProgressEncoder();
    private final PrepareOkEncoder prepareOk = new PrepareOkEncoder();
    private final TryPreAcceptEncoder tryPreAccept = new TryPreAcceptEncoder();
    private final TryPreAcceptReplyEncoder tryPreAcceptReply = new TryPreAcceptReplyEncoder();

    public DependencyPublisher(final Outbox outbox, final ProtocolCounters counters)
    {
        this.outbox = outbox;
        this.counters = counters;
    }

    /** Sends to {@code count} replicas of {@code targets}, or to all peers when {@code count == ALL}. */
    public void preAccept(
        final int[] targets, final int count, final long ballot, final long dot, final int seq, final long fastQuorum,
        final DotSet deps, final DirectBuffer commands, final int commandsLength)
    {
        final MutableDirectBuffer buffer = outbox.buffer();
        preAccept.wrapAndApplyHeader(buffer, 0, header).ballot(ballot).dot(dot).seq(seq).fastQuorum(fastQuorum);
        final PreAcceptEncoder.DepsEncoder group = preAccept.depsCount(deps.size());
        for (int i = 0; i < deps.size(); i++)
        {
            group.next().dot(deps.get(i));
        }
        preAccept.putCommands(commands, 0, commandsLength);
        send(targets, count, MessageHeaderEncoder.ENCODED_LENGTH + preAccept.encodedLength());
    }

    /** Whether an instance was forgotten after executing everywhere (so it counts as committed). */
    public interface CollectedInstances
    {
        boolean isCollected(long dot);
    }

    private CollectedInstances collected = dot -> false;

    public void collectedInstances(final CollectedInstances collected)
    {
        this.collected = collected;
    }

    public void preAcceptOk(
        final int to, final long ballot, final long dot, final int seq, final DotSet deps,
        final DependencyInstances instances)
    {
        final MutableDirectBuffer buffer = outbox.buffer();
        preAcceptOk.wrapAndApplyHeader(buffer, 0, header).ballot(ballot).dot(dot).seq(seq);
        final PreAcceptOkEncoder.DepsEncoder group = preAcceptOk.depsCount(deps.size());
        for (int i = 0; i < deps.size(); i++)
        {
            final long dep = deps.get(i);
            group.next().dot(dep).committed(
                instances.isCommitted(dep) || collected.isCollected(dep) ? BooleanType.TRUE : BooleanType.FALSE);
        }
        send(to, MessageHeaderEncoder.ENCODED_LENGTH + preAcceptOk.encodedLength());
    }

    public void accept(
        final int[] targets, final int count, final long ballot, final long dot, final int seq, final DotSet deps,
        final DirectBuffer commands, final int commandsLength)
    {
        final MutableDirectBuffer buffer = outbox.buffer();
        accept.wrapAndApplyHeader(buffer, 0, header).ballot(ballot).dot(dot).seq(seq);
        final AcceptEncoder.DepsEncoder group = accept.depsCount(deps.size());
        for (int i = 0; i < deps.size(); i++)
        {
            group.next().dot(deps.get(i));
        }
        accept.putCommands(commands, 0, commandsLength);
        send(targets, count, MessageHeaderEncoder.ENCODED_LENGTH + accept.encodedLength());
    }

    public void acceptOk(final int to, final long ballot, final long dot)
    {
        acceptOk.wrapAndApplyHeader(outbox.buffer(), 0, header).ballot(ballot).dot(dot);
        send(to, MessageHeaderEncoder.ENCODED_LENGTH + acceptOk.encodedLength());
    }

    /** Sends the Commit of a decided instance to one replica that asked about it. */
    public void commitTo(
        final int to, final long ballot, final long dot, final int seq, final DotSet deps,
        final DirectBuffer commands, final int commandsLength)
    {
        final int length = encodeCommit(ballot, dot, seq, deps, commands, commandsLength);
        send(to, length);
    }

    public void commitToAll(
        final long ballot, final long dot, final int seq, final DotSet deps,
        final DirectBuffer commands, final int commandsLength)
    {
        send(null, ALL, encodeCommit(ballot, dot, seq, deps, commands, commandsLength));
    }

    private int encodeCommit(
        final long ballot, final long dot, final int seq, final DotSet deps,
        final DirectBuffer commands, final int commandsLength)
    {
        final MutableDirectBuffer buffer = outbox.buffer();
        commit.wrapAndApplyHeader(buffer, 0, header).ballot(ballot).dot(dot).seq(seq);
        final CommitEncoder.DepsEncoder group = commit.depsCount(deps.size());
        for (int i = 0; i < deps.size(); i++)
        {
            group.next().dot(deps.get(i));
        }
        commit.putCommands(commands, 0, commandsLength);
        return MessageHeaderEncoder.ENCODED_LENGTH + commit.encodedLength();
    }

    public void progressToAll(final int self, final long[] executedUpTo)
    {
        progress.wrapAndApplyHeader(outbox.buffer(), 0, header).replica(self);
        final ProgressEncoder.ExecutedEncoder group = progress.executedCount(executedUpTo.length);
        for (int origin = 0; origin < executedUpTo.length; origin++)
        {
            group.next().originReplica(origin).instance(executedUpTo[origin]);
        }
        send(null, ALL, MessageHeaderEncoder.ENCODED_LENGTH + progress.encodedLength());
    }

    public void prepareToAll(final long ballot, final long dot)
    {
        prepareToAll(ballot, dot, null, 0);
    }

    /** A Prepare carrying the recoverer's copy of the command (Atlas MRec); {@code commands} may be null if empty. */
    public void prepareToAll(final long ballot, final long dot, final DirectBuffer commands, final int commandsLength)
    {
        prepare.wrapAndApplyHeader(outbox.buffer(), 0, header).ballot(ballot).dot(dot);
        prepare.putCommands(commandsLength > 0 ? commands : NO_COMMANDS, 0, commandsLength);
        send(null, ALL, MessageHeaderEncoder.ENCODED_LENGTH + prepare.encodedLength());
    }

    public void prepareOk(
        final int to, final long ballot, final long dot, final byte status, final long acceptedBallot, final int seq,
        final long fastQuorum, final DotSet deps, final DirectBuffer commands, final int commandsLength)
    {
        prepareOk.wrapAndApplyHeader(outbox.buffer(), 0, header)
            .ballot(ballot)
            .dot(dot)
            .status(toStatus(status))
            .acceptedBallot(acceptedBallot)
            .seq(seq)
            .fastQuorum(fastQuorum);
        final PrepareOkEncoder.DepsEncoder group = prepareOk.depsCount(deps.size());
        for (int i = 0; i < deps.size(); i++)
        {
            group.next().dot(deps.get(i));
        }
        prepareOk.putCommands(commands, 0, commandsLength);
        send(to, MessageHeaderEncoder.ENCODED_LENGTH + prepareOk.encodedLength());
    }

    public void tryPreAccept(
        final int to, final long ballot, final long dot, final int seq, final long fastQuorum, final DotSet deps,
        final DirectBuffer commands, final int commandsLength)
    {
        tryPreAccept.wrapAndApplyHeader(outbox.buffer(), 0, header).ballot(ballot).dot(dot).seq(seq)
            .fastQuorum(fastQuorum);
        final TryPreAcceptEncoder.DepsEncoder group = tryPreAccept.depsCount(deps.size());
        for (int i = 0; i < deps.size(); i++)
        {
            group.next().dot(deps.get(i));
        }
        tryPreAccept.putCommands(commands, 0, commandsLength);
        send(to, MessageHeaderEncoder.ENCODED_LENGTH + tryPreAccept.encodedLength());
    }

    public void tryPreAcceptReply(
        final int to, final long ballot, final long dot, final boolean ok, final long conflictDot,
        final byte conflictStatus)
    {
        tryPreAcceptReply.wrapAndApplyHeader(outbox.buffer(), 0, header)
            .ballot(ballot)
            .dot(dot)
            .ok(ok ? BooleanType.TRUE : BooleanType.FALSE)
            .conflictDot(conflictDot)
            .conflictStatus(toStatus(conflictStatus));
        send(to, MessageHeaderEncoder.ENCODED_LENGTH + tryPreAcceptReply.encodedLength());
    }

    public static InstanceStatus toStatus(final byte status)
    {
        switch (status)
        {
            case DependencyInstances.PRE_ACCEPTED:
                return InstanceStatus.PRE_ACCEPTED;
            case DependencyInstances.ACCEPTED:
                return InstanceStatus.ACCEPTED;
            case DependencyInstances.COMMITTED:
                return InstanceStatus.COMMITTED;
            case DependencyInstances.EXECUTED:
                return InstanceStatus.EXECUTED;
            default:
                return InstanceStatus.NONE;
        }
    }

    public void nack(final int to, final long ballot, final long dot, final long promisedBallot)
    {
        nack.wrapAndApplyHeader(outbox.buffer(), 0, header).ballot(ballot).dot(dot).promisedBallot(promisedBallot);
        counters.nacksSent++;
        send(to, MessageHeaderEncoder.ENCODED_LENGTH + nack.encodedLength());
    }

    private void send(final int to, final int length)
    {
        counters.messagesOut++;
        outbox.send(to, length);
    }

    private void send(final int[] targets, final int count, final int length)
    {
        if (count == ALL)
        {
            counters.messagesOut++;
            outbox.sendToAll(length);
            return;
        }
        for (int i = 0; i < count; i++)
        {
            counters.messagesOut++;
            outbox.send(targets[i], length);
        }
    }
}
