package io.roundtable.protocol.tempo;

import io.roundtable.codecs.InstanceStatus;
import io.roundtable.codecs.MessageHeaderEncoder;
import io.roundtable.codecs.NackEncoder;
import io.roundtable.codecs.ProgressEncoder;
import io.roundtable.codecs.TempoCommitEncoder;
import io.roundtable.codecs.TempoConsensusAckEncoder;
import io.roundtable.codecs.TempoConsensusEncoder;
import io.roundtable.codecs.TempoPromisesEncoder;
import io.roundtable.codecs.TempoProposeAckEncoder;
import io.roundtable.codecs.TempoProposeEncoder;
import io.roundtable.codecs.TempoRecoverAckEncoder;
import io.roundtable.codecs.TempoRecoverEncoder;
import io.roundtable.protocol.Outbox;
import io.roundtable.protocol.ProtocolCounters;
import org.agrona.DirectBuffer;

/**
 * Typed Tempo senders: each encodes one message into the outbox buffer with a preallocated flyweight and sends it to
 * one replica, to the first {@code count} of a preference list, or to every peer ({@link #ALL}).
 */
final class TempoPublisher
{
    static final int ALL = -1;

    private final Outbox outbox;
    private final ProtocolCounters counters;
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final TempoProposeEncoder propose = new TempoProposeEncoder();
    private final TempoProposeAckEncoder proposeAck = new TempoProposeAckEncoder();
    private final TempoConsensusEncoder consensus = new TempoConsensusEncoder();
    private final TempoConsensusAckEncoder consensusAck = new TempoConsensusAckEncoder();
    private final TempoCommitEncoder commit = new TempoCommitEncoder();
    private final TempoRecoverEncoder recover = new TempoRecoverEncoder();
    private final TempoRecoverAckEncoder recoverAck = new TempoRecoverAckEncoder();
    private final TempoPromisesEncoder promises = new TempoPromisesEncoder();
    private final NackEncoder nack = new NackEncoder();
    private final ProgressEncoder progress = new ProgressEncoder();
    private TempoPromisesEncoder.KeysEncoder promisedKeys;

    TempoPublisher(final Outbox outbox, final ProtocolCounters counters)
    {
        this.outbox = outbox;
        this.counters = counters;
    }

    void propose(
        final int[] targets, final int count, final long ballot, final long dot, final long timestamp,
        final long fastQuorum, final DirectBuffer commands, final int commandsLength)
    {
        propose.wrapAndApplyHeader(outbox.buffer(), 0, header)
            .ballot(ballot).dot(dot).timestamp(timestamp).fastQuorum(fastQuorum)
            .putCommands(commands, 0, commandsLength);
        send(targets, count, MessageHeaderEncoder.ENCODED_LENGTH + propose.encodedLength());
    }

    void proposeAck(final int to, final long ballot, final long dot, final long timestamp)
    {
        proposeAck.wrapAndApplyHeader(outbox.buffer(), 0, header).ballot(ballot).dot(dot).timestamp(timestamp);
        send(to, MessageHeaderEncoder.ENCODED_LENGTH + proposeAck.encodedLength());
    }

    void consensus(
        final int[] targets, final int count, final long ballot, final long dot, final long timestamp,
        final DirectBuffer commands, final int commandsLength)
    {
        consensus.wrapAndApplyHeader(outbox.buffer(), 0, header)
            .ballot(ballot).dot(dot).timestamp(timestamp)
            .putCommands(commands, 0, commandsLength);
        send(targets, count, MessageHeaderEncoder.ENCODED_LENGTH + consensus.encodedLength());
    }

    void consensusAck(final int to, final long ballot, final long dot)
    {
        consensusAck.wrapAndApplyHeader(outbox.buffer(), 0, header).ballot(ballot).dot(dot);
        send(to, MessageHeaderEncoder.ENCODED_LENGTH + consensusAck.encodedLength());
    }

    /** To one replica, or to every peer when {@code to == ALL}. */
    void commit(
        final int to, final long ballot, final long dot, final long timestamp, final DirectBuffer commands,
        final int commandsLength)
    {
        commit.wrapAndApplyHeader(outbox.buffer(), 0, header)
            .ballot(ballot).dot(dot).timestamp(timestamp)
            .putCommands(commands, 0, commandsLength);
        send(to, MessageHeaderEncoder.ENCODED_LENGTH + commit.encodedLength());
    }

    void recoverToAll(final long ballot, final long dot, final DirectBuffer commands, final int commandsLength)
    {
        recover.wrapAndApplyHeader(outbox.buffer(), 0, header).ballot(ballot).dot(dot)
            .putCommands(commands, 0, commandsLength);
        send(ALL, MessageHeaderEncoder.ENCODED_LENGTH + recover.encodedLength());
    }

    void recoverAck(
        final int to, final long ballot, final long dot, final byte status, final long acceptedBallot,
        final long timestamp, final long proposalBallot, final long proposal, final long fastQuorum,
        final DirectBuffer commands, final int commandsLength)
    {
        recoverAck.wrapAndApplyHeader(outbox.buffer(), 0, header)
            .ballot(ballot).dot(dot).status(toStatus(status)).acceptedBallot(acceptedBallot).timestamp(timestamp)
            .proposalBallot(proposalBallot).proposal(proposal).fastQuorum(fastQuorum)
            .putCommands(commands, 0, commandsLength);
        send(to, MessageHeaderEncoder.ENCODED_LENGTH + recoverAck.encodedLength());
    }

    void nack(final int to, final long ballot, final long dot, final long promisedBallot)
    {
        nack.wrapAndApplyHeader(outbox.buffer(), 0, header).ballot(ballot).dot(dot).promisedBallot(promisedBallot);
        counters.nacksSent++;
        send(to, MessageHeaderEncoder.ENCODED_LENGTH + nack.encodedLength());
    }

    void progressToAll(final int self, final long[] executedUpTo)
    {
        progress.wrapAndApplyHeader(outbox.buffer(), 0, header).replica(self);
        final ProgressEncoder.ExecutedEncoder group = progress.executedCount(executedUpTo.length);
        for (int origin = 0; origin < executedUpTo.length; origin++)
        {
            group.next().originReplica(origin).instance(executedUpTo[origin]);
        }
        send(ALL, MessageHeaderEncoder.ENCODED_LENGTH + progress.encodedLength());
    }

    /** Starts a promises message of {@code keyCount} keys; each key follows with {@link #promisedKey}. */
    void beginPromises(final int keyCount)
    {
        promisedKeys = promises.wrapAndApplyHeader(outbox.buffer(), 0, header).keysCount(keyCount);
    }

    TempoPromisesEncoder.KeysEncoder.AttachedEncoder promisedKey(
        final long key, final long clockUpTo, final int attachedCount)
    {
        return promisedKeys.next().key(key).clockUpTo(clockUpTo).attachedCount(attachedCount);
    }

    int promisesLength()
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + promises.encodedLength();
    }

    void sendPromisesTo(final int replica)
    {
        send(replica, promisesLength());
    }

    static InstanceStatus toStatus(final byte status)
    {
        switch (status)
        {
            case TempoInstances.PROPOSED:
                return InstanceStatus.PRE_ACCEPTED;
            case TempoInstances.ACCEPTED:
                return InstanceStatus.ACCEPTED;
            case TempoInstances.COMMITTED:
                return InstanceStatus.COMMITTED;
            case TempoInstances.EXECUTED:
                return InstanceStatus.EXECUTED;
            default:
                return InstanceStatus.NONE;
        }
    }

    private void send(final int to, final int length)
    {
        counters.messagesOut++;
        if (to == ALL)
        {
            outbox.sendToAll(length);
        }
        else
        {
            outbox.send(to, length);
        }
    }

    private void send(final int[] targets, final int count, final int length)
    {
        if (count == ALL)
        {
            send(ALL, length);
            return;
        }
        for (int i = 0; i < count; i++)
        {
            send(targets[i], length);
        }
    }
}
