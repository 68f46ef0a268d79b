package io.roundtable.runtime;

import io.roundtable.codecs.InstanceStatus;
import io.roundtable.codecs.MessageHeaderEncoder;
import io.roundtable.codecs.NackEncoder;
import io.roundtable.codecs.ProgressEncoder;
import io.roundtable.codecs.TempoCommitEncoder;
import io.roundtable.codecs.TempoConsensusAckEncoder;
import io.roundtable.codecs.TempoConsensusEncoder;
import io.roundtable.codecs.TempoProposeAckEncoder;
import io.roundtable.codecs.TempoProposeEncoder;
import io.roundtable.codecs.TempoPromisesEncoder;
import io.roundtable.codecs.TempoRecoverAckEncoder;
import io.roundtable.codecs.TempoRecoverEncoder;
import io.roundtable.protocol.Ballot;
import io.roundtable.protocol.Dot;
import org.agrona.MutableDirectBuffer;

import java.util.Random;

/** Tempo's messages as {@link PeerMessages}: its eight own types, Nack and Progress. */
final class RandomTempoMessages implements PeerMessages
{
    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;

    private final MessageLayout layout = new MessageLayout();
    private final Random random;
    private final RandomBatches batches;
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final TempoProposeEncoder propose = new TempoProposeEncoder();
    private final TempoProposeAckEncoder proposeAck = new TempoProposeAckEncoder();
    private final TempoConsensusEncoder consensus = new TempoConsensusEncoder();
    private final TempoConsensusAckEncoder consensusAck = new TempoConsensusAckEncoder();
    private final TempoCommitEncoder commit = new TempoCommitEncoder();
    private final TempoPromisesEncoder promises = new TempoPromisesEncoder();
    private final TempoRecoverEncoder recover = new TempoRecoverEncoder();
    private final TempoRecoverAckEncoder recoverAck = new TempoRecoverAckEncoder();
    private final NackEncoder nack = new NackEncoder();
    private final ProgressEncoder progress = new ProgressEncoder();

    RandomTempoMessages(final Random random)
    {
        this.random = random;
        this.batches = new RandomBatches(random);
    }

    public int types()
    {
        return 10;
    }

    public MessageLayout layout()
    {
        return layout;
    }

    public boolean receives(final int templateId)
    {
        return templateId >= TempoProposeEncoder.TEMPLATE_ID && templateId <= TempoRecoverAckEncoder.TEMPLATE_ID ||
            templateId == NackEncoder.TEMPLATE_ID || templateId == ProgressEncoder.TEMPLATE_ID;
    }

    public int message(final int type, final int sender, final MutableDirectBuffer buffer)
    {
        layout.clear();
        final int origin = random.nextInt(3);
        final long ballot = Ballot.initial(0, origin) + ((long)random.nextInt(4) << 16);
        final long dot = Dot.of(origin, (1L << 40) + random.nextInt(1 << 30));
        final long timestamp = 1 + random.nextInt(1 << 20);
        batches.next();
        // every message but Promises and Progress starts with its ballot and its dot
        final boolean atBallot = random.nextBoolean();
        layout.rangeAt(HEADER + (atBallot ? 0 : Long.BYTES), atBallot ? MessageLayout.BALLOT : MessageLayout.DOT);
        switch (type)
        {
            case 0:
                propose.wrapAndApplyHeader(buffer, 0, header).ballot(ballot).dot(dot).timestamp(timestamp)
                    .fastQuorum(3);
                return RandomBatches.withCommands(layout, propose.limit(),
                    propose.putCommands(batches.commands, 0, batches.commandsLength).limit());
            case 1:
                return proposeAck.wrapAndApplyHeader(buffer, 0, header).ballot(ballot).dot(dot).timestamp(timestamp)
                    .limit();
            case 2:
                consensus.wrapAndApplyHeader(buffer, 0, header).ballot(ballot).dot(dot).timestamp(timestamp);
                return RandomBatches.withCommands(layout, consensus.limit(),
                    consensus.putCommands(batches.commands, 0, batches.commandsLength).limit());
            case 3:
                return consensusAck.wrapAndApplyHeader(buffer, 0, header).ballot(ballot).dot(dot).limit();
            case 4:
                commit.wrapAndApplyHeader(buffer, 0, header).ballot(ballot).dot(dot).timestamp(timestamp);
                return RandomBatches.withCommands(layout, commit.limit(),
                    commit.putCommands(batches.commands, 0, batches.commandsLength).limit());
            case 5:
                return promises(buffer);
            case 6:
                recover.wrapAndApplyHeader(buffer, 0, header).ballot(ballot).dot(dot);
                return RandomBatches.withCommands(layout, recover.limit(),
                    recover.putCommands(batches.commands, 0, batches.commandsLength).limit());
            case 7:
            {
                recoverAck.wrapAndApplyHeader(buffer, 0, header).ballot(ballot).dot(dot)
                    .status(InstanceStatus.get((short)random.nextInt(5))).acceptedBallot(ballot)
                    .timestamp(timestamp).proposalBallot(ballot).proposal(timestamp).fastQuorum(3);
                final int length = RandomBatches.withCommands(layout, recoverAck.limit(),
                    recoverAck.putCommands(batches.commands, 0, batches.commandsLength).limit());
                if (random.nextBoolean())
                {
                    layout.enumAt(HEADER + TempoRecoverAckEncoder.statusEncodingOffset(), MessageLayout.STATUS_VALUES);
                }
                return length;
            }
            case 8:
                return nack.wrapAndApplyHeader(buffer, 0, header).ballot(ballot).dot(dot).promisedBallot(ballot + 1)
                    .limit();
            default:
                return RandomDependencyMessages.progress(progress, header, layout, random, sender, buffer);
        }
    }

    /** One to three keys, each with up to three attached promises; an attached dot is the field kept in range. */
    private int promises(final MutableDirectBuffer buffer)
    {
        layout.rangeAt(-1, -1);
        promises.wrapAndApplyHeader(buffer, 0, header);
        layout.group(promises.limit(), TempoPromisesEncoder.KeysEncoder.sbeBlockLength());
        final int keyCount = 1 + random.nextInt(3);
        final TempoPromisesEncoder.KeysEncoder keys = promises.keysCount(keyCount);
        for (int k = 0; k < keyCount; k++)
        {
            long from = 1 + random.nextInt(1 << 20);
            keys.next().key(random.nextLong()).clockUpTo(from + (1 << 21));
            final int attachedCount = random.nextInt(4);
            final TempoPromisesEncoder.KeysEncoder.AttachedEncoder attached = keys.attachedCount(attachedCount);
            for (int a = 0; a < attachedCount; a++)
            {
                if (random.nextInt(attachedCount) == 0)
                {
                    layout.rangeAt(promises.limit() + TempoPromisesEncoder.KeysEncoder.AttachedEncoder
                        .dotEncodingOffset(), MessageLayout.DOT);
                }
                attached.next().dot(Dot.of(random.nextInt(3), (1L << 40) + random.nextInt(1 << 30))).from(from);
                from += 1 + random.nextInt(100);
            }
        }
        return promises.limit();
    }
}
