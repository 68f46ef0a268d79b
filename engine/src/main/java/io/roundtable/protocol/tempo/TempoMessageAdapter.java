package io.roundtable.protocol.tempo;

import io.roundtable.codecs.NackDecoder;
import io.roundtable.codecs.ProgressDecoder;
import io.roundtable.codecs.TempoCommitDecoder;
import io.roundtable.codecs.TempoConsensusAckDecoder;
import io.roundtable.codecs.TempoConsensusDecoder;
import io.roundtable.codecs.TempoPromisesDecoder;
import io.roundtable.codecs.TempoProposeAckDecoder;
import io.roundtable.codecs.TempoProposeDecoder;
import io.roundtable.codecs.TempoRecoverAckDecoder;
import io.roundtable.codecs.TempoRecoverDecoder;
import io.roundtable.protocol.Dot;
import io.roundtable.protocol.MalformedMessageException;
import io.roundtable.protocol.MessageFrame;
import io.roundtable.protocol.progress.ProgressReader;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static io.roundtable.protocol.MalformedMessageException.requireBallot;

/**
 * Decodes Tempo messages with one preallocated flyweight per type and calls the handler with primitives. Header,
 * schema, version and lengths are checked first; every message is decoded over a view of exactly its fragment, so a
 * count or length pointing past it hits Agrona's bounds check; a promises message is walked whole once before any of
 * it is applied. Bad input goes to {@link TempoHandler#onUnexpected}, once per message, and is never thrown.
 */
final class TempoMessageAdapter
{
    private final TempoHandler handler;
    private final MessageFrame frame = new MessageFrame(TempoMessageAdapter::rootBlockLength);
    private final UnsafeBuffer view = frame.view();
    private final TempoProposeDecoder propose = new TempoProposeDecoder();
    private final TempoProposeAckDecoder proposeAck = new TempoProposeAckDecoder();
    private final TempoConsensusDecoder consensus = new TempoConsensusDecoder();
    private final TempoConsensusAckDecoder consensusAck = new TempoConsensusAckDecoder();
    private final TempoCommitDecoder commit = new TempoCommitDecoder();
    private final TempoRecoverDecoder recover = new TempoRecoverDecoder();
    private final TempoRecoverAckDecoder recoverAck = new TempoRecoverAckDecoder();
    private final TempoPromisesDecoder promises = new TempoPromisesDecoder();
    private final NackDecoder nack = new NackDecoder();
    private final UnsafeBuffer commandsView = new UnsafeBuffer(0, 0);
    private final ProgressReader progressReader;
    private final int replicaCount;

    TempoMessageAdapter(final TempoHandler handler, final int replicaCount)
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
                case TempoProposeDecoder.TEMPLATE_ID:
                    propose.wrap(view, body, blockLength, version);
                    propose.wrapCommands(commandsView);
                    MalformedMessageException.requireWithin(propose.limit(), length);
                    handler.onPropose(from, requireBallot(propose.ballot(), replicaCount), propose.dot(),
                        propose.timestamp(), propose.fastQuorum(), commandsView, 0, commandsView.capacity());
                    return;

                case TempoProposeAckDecoder.TEMPLATE_ID:
                    proposeAck.wrap(view, body, blockLength, version);
                    handler.onProposeAck(from, requireBallot(proposeAck.ballot(), replicaCount), proposeAck.dot(),
                        proposeAck.timestamp());
                    return;

                case TempoConsensusDecoder.TEMPLATE_ID:
                    consensus.wrap(view, body, blockLength, version);
                    consensus.wrapCommands(commandsView);
                    MalformedMessageException.requireWithin(consensus.limit(), length);
                    handler.onConsensus(from, requireBallot(consensus.ballot(), replicaCount), consensus.dot(),
                        consensus.timestamp(), commandsView, 0, commandsView.capacity());
                    return;

                case TempoConsensusAckDecoder.TEMPLATE_ID:
                    consensusAck.wrap(view, body, blockLength, version);
                    handler.onConsensusAck(from, requireBallot(consensusAck.ballot(), replicaCount),
                        consensusAck.dot());
                    return;

                case TempoCommitDecoder.TEMPLATE_ID:
                    commit.wrap(view, body, blockLength, version);
                    commit.wrapCommands(commandsView);
                    MalformedMessageException.requireWithin(commit.limit(), length);
                    handler.onCommit(from, requireBallot(commit.ballot(), replicaCount), commit.dot(),
                        commit.timestamp(), commandsView, 0, commandsView.capacity());
                    return;

                case TempoRecoverDecoder.TEMPLATE_ID:
                    recover.wrap(view, body, blockLength, version);
                    recover.wrapCommands(commandsView);
                    MalformedMessageException.requireWithin(recover.limit(), length);
                    handler.onRecover(from, requireBallot(recover.ballot(), replicaCount), recover.dot(),
                        commandsView, 0, commandsView.capacity());
                    return;

                case TempoRecoverAckDecoder.TEMPLATE_ID:
                {
                    recoverAck.wrap(view, body, blockLength, version);
                    final byte status = toStatus(recoverAck.statusRaw());
                    recoverAck.wrapCommands(commandsView);
                    MalformedMessageException.requireWithin(recoverAck.limit(), length);
                    if (status < 0)
                    {
                        handler.onUnexpected(from, templateId);
                        return;
                    }
                    handler.onRecoverAck(from, requireBallot(recoverAck.ballot(), replicaCount), recoverAck.dot(),
                        status, recoverAck.acceptedBallot(), recoverAck.timestamp(), recoverAck.proposalBallot(),
                        recoverAck.proposal(), recoverAck.fastQuorum(), commandsView, 0, commandsView.capacity());
                    return;
                }
                case TempoPromisesDecoder.TEMPLATE_ID:
                    onPromises(from, body, blockLength, version, length);
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
            // Agrona's bounds checks catch truncated groups and var-data: count and drop, never crash the replica.
            handler.onUnexpected(from, templateId);
        }
    }

    private void onPromises(final int from, final int body, final int blockLength, final int version, final int length)
    {
        // first pass: the whole message decodes within its fragment and every attached dot is one of this cluster's
        promises.wrap(view, body, blockLength, version);
        final TempoPromisesDecoder.KeysDecoder keys = promises.keys();
        while (keys.hasNext())
        {
            final TempoPromisesDecoder.KeysDecoder.AttachedDecoder attached = keys.next().attached();
            while (attached.hasNext())
            {
                final long dot = attached.next().dot();
                if (Dot.replica(dot) >= replicaCount || Dot.instance(dot) < 1)
                {
                    throw MalformedMessageException.INSTANCE;
                }
            }
        }
        MalformedMessageException.requireWithin(promises.limit(), length);

        promises.wrap(view, body, blockLength, version);
        final TempoPromisesDecoder.KeysDecoder applyKeys = promises.keys();
        while (applyKeys.hasNext())
        {
            applyKeys.next();
            final long key = applyKeys.key();
            handler.onPromisedKey(from, key, applyKeys.clockUpTo());
            final TempoPromisesDecoder.KeysDecoder.AttachedDecoder attached = applyKeys.attached();
            while (attached.hasNext())
            {
                attached.next();
                handler.onPromisedAttached(from, attached.dot(), attached.from());
            }
            handler.onPromisedKeyEnd(from, key);
        }
    }

    private static byte toStatus(final short status)
    {
        switch (status)
        {
            case 0:
                return TempoInstances.NONE;
            case 1:
                return TempoInstances.PROPOSED;
            case 2:
                return TempoInstances.ACCEPTED;
            case 3:
                return TempoInstances.COMMITTED;
            case 4:
                return TempoInstances.EXECUTED;
            default:
                return -1;
        }
    }

    private static int rootBlockLength(final int templateId)
    {
        switch (templateId)
        {
            case TempoProposeDecoder.TEMPLATE_ID: return TempoProposeDecoder.BLOCK_LENGTH;
            case TempoProposeAckDecoder.TEMPLATE_ID: return TempoProposeAckDecoder.BLOCK_LENGTH;
            case TempoConsensusDecoder.TEMPLATE_ID: return TempoConsensusDecoder.BLOCK_LENGTH;
            case TempoConsensusAckDecoder.TEMPLATE_ID: return TempoConsensusAckDecoder.BLOCK_LENGTH;
            case TempoCommitDecoder.TEMPLATE_ID: return TempoCommitDecoder.BLOCK_LENGTH;
            case TempoRecoverDecoder.TEMPLATE_ID: return TempoRecoverDecoder.BLOCK_LENGTH;
            case TempoRecoverAckDecoder.TEMPLATE_ID: return TempoRecoverAckDecoder.BLOCK_LENGTH;
            case TempoPromisesDecoder.TEMPLATE_ID: return TempoPromisesDecoder.BLOCK_LENGTH;
            case NackDecoder.TEMPLATE_ID: return NackDecoder.BLOCK_LENGTH;
            case ProgressDecoder.TEMPLATE_ID: return ProgressDecoder.BLOCK_LENGTH;
            default: return Integer.MAX_VALUE;
        }
    }
}
