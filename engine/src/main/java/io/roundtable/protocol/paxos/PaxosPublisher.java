package io.roundtable.protocol.paxos;

import io.roundtable.codecs.InstanceStatus;
import io.roundtable.codecs.MessageHeaderEncoder;
import io.roundtable.codecs.NackEncoder;
import io.roundtable.codecs.PaxosAcceptEncoder;
import io.roundtable.codecs.PaxosAcceptedEncoder;
import io.roundtable.codecs.PaxosChosenEncoder;
import io.roundtable.codecs.PaxosForwardEncoder;
import io.roundtable.codecs.PaxosHeartbeatEncoder;
import io.roundtable.codecs.PaxosPrepareEncoder;
import io.roundtable.codecs.PaxosPromiseEncoder;
import io.roundtable.codecs.ProgressEncoder;
import io.roundtable.protocol.InstanceSlots;
import io.roundtable.protocol.Outbox;
import io.roundtable.protocol.ProtocolCounters;
import org.agrona.DirectBuffer;

/** Typed Multi-Paxos senders: each encodes one message into the outbox buffer with a preallocated flyweight. */
final class PaxosPublisher
{
    /** Default page size of a Promise: well under the 128 KiB the runtime's Aeron channels carry in one message. */
    static final int DEFAULT_PROMISE_PAGE_BYTES = 64 * 1024;
    private static final int PROMISE_FIXED_BYTES = MessageHeaderEncoder.ENCODED_LENGTH +
        PaxosPromiseEncoder.BLOCK_LENGTH + 4;
    private static final int PROMISE_ENTRY_BYTES = PaxosPromiseEncoder.AcceptedEncoder.sbeBlockLength() + 4;

    private final Outbox outbox;
    private final int promisePageBytes;
    private final ProtocolCounters counters;
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final PaxosForwardEncoder forward = new PaxosForwardEncoder();
    private final PaxosPrepareEncoder prepare = new PaxosPrepareEncoder();
    private final PaxosPromiseEncoder promise = new PaxosPromiseEncoder();
    private final PaxosAcceptEncoder accept = new PaxosAcceptEncoder();
    private final PaxosAcceptedEncoder accepted = new PaxosAcceptedEncoder();
    private final PaxosChosenEncoder chosen = new PaxosChosenEncoder();
    private final PaxosHeartbeatEncoder heartbeat = new PaxosHeartbeatEncoder();
    private final NackEncoder nack = new NackEncoder();
    private final ProgressEncoder progress = new ProgressEncoder();

    PaxosPublisher(final Outbox outbox, final ProtocolCounters counters, final int promisePageBytes)
    {
        this.outbox = outbox;
        this.promisePageBytes = promisePageBytes;
        this.counters = counters;
    }

    void forward(final int to, final DirectBuffer commands, final int offset, final int length)
    {
        forward.wrapAndApplyHeader(outbox.buffer(), 0, header).putCommands(commands, offset, length);
        send(to, MessageHeaderEncoder.ENCODED_LENGTH + forward.encodedLength());
    }

    /** Asks one acceptor for the next page of its Promise. */
    void prepare(final int to, final long ballot, final long fromPosition)
    {
        prepare.wrapAndApplyHeader(outbox.buffer(), 0, header).ballot(ballot).fromSlot(fromPosition);
        send(to, MessageHeaderEncoder.ENCODED_LENGTH + prepare.encodedLength());
    }

    void prepareToAll(final long ballot, final long fromPosition)
    {
        prepare.wrapAndApplyHeader(outbox.buffer(), 0, header).ballot(ballot).fromSlot(fromPosition);
        sendToAll(MessageHeaderEncoder.ENCODED_LENGTH + prepare.encodedLength());
    }

    /**
     * One page of a Promise: the positions from {@code fromPosition} the log holds as accepted or chosen, as many as
     * fit in {@link #promisePageBytes} (at least one), up to {@code toPosition}. The page says how far it covers and
     * whether it is the last; the candidate asks for the next one. Without pages a deposed leader's unchosen tail
     * under full load (304 KB seen at N = 5) made a Promise longer than a transport message, dropped every time, and
     * the election never completed.
     */
    void promise(
        final int to, final long ballot, final long chosenUpTo, final PaxosLog log, final long fromPosition,
        final long toPosition)
    {
        int count = 0;
        int bytes = PROMISE_FIXED_BYTES;
        long coveredUpTo = toPosition;
        for (long position = fromPosition; position <= toPosition; position++)
        {
            final int slot = log.slotOf(position);
            if (slot == InstanceSlots.NO_SLOT || log.status[slot] < PaxosLog.ACCEPTED)
            {
                continue;
            }
            final int entryBytes = PROMISE_ENTRY_BYTES + log.commandsLength[slot];
            if (count > 0 && bytes + entryBytes > promisePageBytes)
            {
                coveredUpTo = position - 1;
                break;
            }
            bytes += entryBytes;
            count++;
        }
        promise.wrapAndApplyHeader(outbox.buffer(), 0, header).ballot(ballot).chosenUpTo(chosenUpTo)
            .coveredUpTo(coveredUpTo).lastPage((short)(coveredUpTo >= toPosition ? 1 : 0));
        final PaxosPromiseEncoder.AcceptedEncoder group = promise.acceptedCount(count);
        for (long position = fromPosition; position <= coveredUpTo; position++)
        {
            final int slot = log.slotOf(position);
            if (slot == InstanceSlots.NO_SLOT || log.status[slot] < PaxosLog.ACCEPTED)
            {
                continue;
            }
            group.next()
                .slot(position)
                .acceptedBallot(log.acceptedBallot[slot])
                .status(log.status[slot] >= PaxosLog.COMMITTED ? InstanceStatus.COMMITTED : InstanceStatus.ACCEPTED)
                .putCommands(log.commands[slot], 0, log.commandsLength[slot]);
        }
        send(to, MessageHeaderEncoder.ENCODED_LENGTH + promise.encodedLength());
    }

    void acceptToAll(
        final long ballot, final long position, final long chosenUpTo, final byte[] commands, final int length)
    {
        encodeAccept(ballot, position, chosenUpTo, commands, length);
        sendToAll(MessageHeaderEncoder.ENCODED_LENGTH + accept.encodedLength());
    }

    void accept(
        final int to, final long ballot, final long position, final long chosenUpTo, final byte[] commands,
        final int length)
    {
        encodeAccept(ballot, position, chosenUpTo, commands, length);
        send(to, MessageHeaderEncoder.ENCODED_LENGTH + accept.encodedLength());
    }

    private void encodeAccept(
        final long ballot, final long position, final long chosenUpTo, final byte[] commands, final int length)
    {
        accept.wrapAndApplyHeader(outbox.buffer(), 0, header).ballot(ballot).slot(position).chosenUpTo(chosenUpTo)
            .putCommands(commands, 0, length);
    }

    void accepted(final int to, final long ballot, final long position)
    {
        accepted.wrapAndApplyHeader(outbox.buffer(), 0, header).ballot(ballot).slot(position);
        send(to, MessageHeaderEncoder.ENCODED_LENGTH + accepted.encodedLength());
    }

    /** {@code length} 0: the receiver accepted the value at {@code ballot} and needs no payload. */
    void chosen(final int to, final long ballot, final long position, final byte[] commands, final int length)
    {
        chosen.wrapAndApplyHeader(outbox.buffer(), 0, header).ballot(ballot).slot(position)
            .putCommands(commands, 0, length);
        send(to, MessageHeaderEncoder.ENCODED_LENGTH + chosen.encodedLength());
    }

    void heartbeatToAll(final long ballot, final long chosenUpTo)
    {
        heartbeat.wrapAndApplyHeader(outbox.buffer(), 0, header).ballot(ballot).chosenUpTo(chosenUpTo);
        sendToAll(MessageHeaderEncoder.ENCODED_LENGTH + heartbeat.encodedLength());
    }

    void nack(final int to, final long ballot, final long dot, final long promisedBallot)
    {
        nack.wrapAndApplyHeader(outbox.buffer(), 0, header).ballot(ballot).dot(dot).promisedBallot(promisedBallot);
        counters.nacksSent++;
        send(to, MessageHeaderEncoder.ENCODED_LENGTH + nack.encodedLength());
    }

    /** Progress in the shared format: one entry, origin 0, since the whole log is origin 0. */
    void progressToAll(final int self, final long executedUpTo)
    {
        progress.wrapAndApplyHeader(outbox.buffer(), 0, header).replica(self);
        progress.executedCount(1).next().originReplica(0).instance(executedUpTo);
        sendToAll(MessageHeaderEncoder.ENCODED_LENGTH + progress.encodedLength());
    }

    private void send(final int to, final int length)
    {
        counters.messagesOut++;
        outbox.send(to, length);
    }

    private void sendToAll(final int length)
    {
        counters.messagesOut++;
        outbox.sendToAll(length);
    }
}
