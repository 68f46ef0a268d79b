package io.roundtable.protocol.paxos;

import io.roundtable.codecs.InstanceStatus;
import io.roundtable.codecs.NackDecoder;
import io.roundtable.codecs.PaxosAcceptDecoder;
import io.roundtable.codecs.PaxosAcceptedDecoder;
import io.roundtable.codecs.PaxosChosenDecoder;
import io.roundtable.codecs.PaxosForwardDecoder;
import io.roundtable.codecs.PaxosHeartbeatDecoder;
import io.roundtable.codecs.PaxosPrepareDecoder;
import io.roundtable.codecs.PaxosPromiseDecoder;
import io.roundtable.codecs.ProgressDecoder;
import io.roundtable.protocol.Dot;
import io.roundtable.protocol.MalformedMessageException;
import io.roundtable.protocol.MessageFrame;
import io.roundtable.protocol.progress.ProgressReader;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static io.roundtable.protocol.MalformedMessageException.requireBallot;

/**
 * Decodes Multi-Paxos messages with one preallocated flyweight per type and calls {@link PaxosHandler} with
 * primitives. As in EPaxos's adapter, each message is decoded over a view of exactly its fragment (so a bad length
 * hits Agrona's bounds check instead of the next message), enums are read raw, and a message is validated whole
 * before the handler sees any of it: a Promise's group is walked twice, once to check, once to deliver.
 */
final class PaxosMessageAdapter
{
    private final PaxosHandler handler;
    private final MessageFrame frame = new MessageFrame(PaxosMessageAdapter::rootBlockLength);
    private final UnsafeBuffer view = frame.view();
    private final PaxosForwardDecoder forward = new PaxosForwardDecoder();
    private final PaxosPrepareDecoder prepare = new PaxosPrepareDecoder();
    private final PaxosPromiseDecoder promise = new PaxosPromiseDecoder();
    private final PaxosAcceptDecoder accept = new PaxosAcceptDecoder();
    private final PaxosAcceptedDecoder accepted = new PaxosAcceptedDecoder();
    private final PaxosChosenDecoder chosen = new PaxosChosenDecoder();
    private final PaxosHeartbeatDecoder heartbeat = new PaxosHeartbeatDecoder();
    private final NackDecoder nack = new NackDecoder();
    private final UnsafeBuffer commandsView = new UnsafeBuffer(0, 0);
    private final ProgressReader progressReader;
    private final int replicaCount;

    PaxosMessageAdapter(final PaxosHandler handler, final int replicaCount)
    {
        this.handler = handler;
        this.progressReader = new ProgressReader(replicaCount);
        this.replicaCount = replicaCount;
    }

    void onMessage(final int from, final DirectBuffer buffer, final int offset, final int length)
    {
        if (!frame.wrap(buffer, offset, length))
        {
            handler.onUnexpected(from, frame.templateId());
            return;
        }
        final int templateId = frame.templateId();
        final int blockLength = frame.blockLength();
        final int version = frame.version();
        final int body = MessageFrame.BODY_OFFSET;
        try
        {
            switch (templateId)
            {
                case PaxosForwardDecoder.TEMPLATE_ID:
                    forward.wrap(view, body, blockLength, version);
                    forward.wrapCommands(commandsView);
                    MalformedMessageException.requireWithin(forward.limit(), length);
                    handler.onForward(from, commandsView, 0, commandsView.capacity());
                    return;

                case PaxosPrepareDecoder.TEMPLATE_ID:
                    prepare.wrap(view, body, blockLength, version);
                    handler.onPrepare(from, requireBallot(prepare.ballot(), replicaCount),
                        requirePosition(prepare.fromSlot()));
                    return;

                case PaxosPromiseDecoder.TEMPLATE_ID:
                    onPromise(from, body, blockLength, version, length);
                    return;

                case PaxosAcceptDecoder.TEMPLATE_ID:
                {
                    accept.wrap(view, body, blockLength, version);
                    final long ballot = requireBallot(accept.ballot(), replicaCount);
                    final long position = requirePosition(accept.slot());
                    final long chosenUpTo = requireWatermark(accept.chosenUpTo());
                    accept.wrapCommands(commandsView);
                    MalformedMessageException.requireWithin(accept.limit(), length);
                    handler.onAccept(from, ballot, position, chosenUpTo, commandsView, 0, commandsView.capacity());
                    return;
                }
                case PaxosAcceptedDecoder.TEMPLATE_ID:
                    accepted.wrap(view, body, blockLength, version);
                    handler.onAccepted(from, requireBallot(accepted.ballot(), replicaCount),
                        requirePosition(accepted.slot()));
                    return;

                case PaxosChosenDecoder.TEMPLATE_ID:
                {
                    chosen.wrap(view, body, blockLength, version);
                    final long ballot = requireBallot(chosen.ballot(), replicaCount);
                    final long position = requirePosition(chosen.slot());
                    chosen.wrapCommands(commandsView);
                    MalformedMessageException.requireWithin(chosen.limit(), length);
                    handler.onChosen(from, ballot, position, commandsView, 0, commandsView.capacity());
                    return;
                }
                case PaxosHeartbeatDecoder.TEMPLATE_ID:
                    heartbeat.wrap(view, body, blockLength, version);
                    handler.onHeartbeat(from, requireBallot(heartbeat.ballot(), replicaCount),
                        requireWatermark(heartbeat.chosenUpTo()));
                    return;

                case NackDecoder.TEMPLATE_ID:
                    nack.wrap(view, body, blockLength, version);
                    handler.onNack(from, requireBallot(nack.ballot(), replicaCount), nack.dot(), nack.promisedBallot());
                    return;

                case ProgressDecoder.TEMPLATE_ID:
                    progressReader.read(from, view, body, blockLength, version, length, handler);
                    return;

                default:
                    handler.onUnexpected(from, templateId);
            }
        }
        catch (final IndexOutOfBoundsException | MalformedMessageException ex)
        {
            handler.onUnexpected(from, templateId);
        }
    }

    private void onPromise(final int from, final int body, final int blockLength, final int version, final int length)
    {
        promise.wrap(view, body, blockLength, version);
        final long ballot = requireBallot(promise.ballot(), replicaCount);
        final long chosenUpTo = requireWatermark(promise.chosenUpTo());
        final long coveredUpTo = requireWatermark(promise.coveredUpTo());
        final short lastPage = promise.lastPage();
        if (lastPage > 1)
        {
            throw MalformedMessageException.INSTANCE;
        }
        PaxosPromiseDecoder.AcceptedDecoder entries = promise.accepted();
        while (entries.hasNext())
        {
            entries.next();
            requirePosition(entries.slot());
            toChosen(entries.statusRaw());
            entries.wrapCommands(commandsView);
        }
        MalformedMessageException.requireWithin(promise.limit(), length);

        promise.wrap(view, body, blockLength, version);
        handler.onPromiseBegin(from, ballot, chosenUpTo);
        entries = promise.accepted();
        while (entries.hasNext())
        {
            entries.next();
            final long position = entries.slot();
            final long acceptedBallot = entries.acceptedBallot();
            final boolean isChosen = toChosen(entries.statusRaw());
            entries.wrapCommands(commandsView);
            handler.onPromiseEntry(from, ballot, position, acceptedBallot, isChosen,
                commandsView, 0, commandsView.capacity());
        }
        handler.onPromiseEnd(from, ballot, coveredUpTo, lastPage == 1);
    }

    /** From the raw byte: the typed accessor throws on an undefined value. Only accepted and chosen are sent. */
    private static boolean toChosen(final short status)
    {
        if (status == InstanceStatus.COMMITTED.value() || status == InstanceStatus.EXECUTED.value())
        {
            return true;
        }
        if (status == InstanceStatus.ACCEPTED.value())
        {
            return false;
        }
        throw MalformedMessageException.INSTANCE;
    }

    private static long requirePosition(final long position)
    {
        if (position < 1 || position > Dot.MAX_INSTANCE)
        {
            throw MalformedMessageException.INSTANCE;
        }
        return position;
    }

    private static long requireWatermark(final long upTo)
    {
        if (upTo < 0 || upTo > Dot.MAX_INSTANCE)
        {
            throw MalformedMessageException.INSTANCE;
        }
        return upTo;
    }

    private static int rootBlockLength(final int templateId)
    {
        switch (templateId)
        {
            case PaxosForwardDecoder.TEMPLATE_ID: return PaxosForwardDecoder.BLOCK_LENGTH;
            case PaxosPrepareDecoder.TEMPLATE_ID: return PaxosPrepareDecoder.BLOCK_LENGTH;
            case PaxosPromiseDecoder.TEMPLATE_ID: return PaxosPromiseDecoder.BLOCK_LENGTH;
            case PaxosAcceptDecoder.TEMPLATE_ID: return PaxosAcceptDecoder.BLOCK_LENGTH;
            case PaxosAcceptedDecoder.TEMPLATE_ID: return PaxosAcceptedDecoder.BLOCK_LENGTH;
            case PaxosChosenDecoder.TEMPLATE_ID: return PaxosChosenDecoder.BLOCK_LENGTH;
            case PaxosHeartbeatDecoder.TEMPLATE_ID: return PaxosHeartbeatDecoder.BLOCK_LENGTH;
            case NackDecoder.TEMPLATE_ID: return NackDecoder.BLOCK_LENGTH;
            case ProgressDecoder.TEMPLATE_ID: return ProgressDecoder.BLOCK_LENGTH;
            default: return 0;
        }
    }
}
