package io.roundtable.runtime;

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
import io.roundtable.protocol.Ballot;
import io.roundtable.protocol.Dot;
import org.agrona.MutableDirectBuffer;

import java.util.Random;

/** Multi-Paxos's messages as {@link PeerMessages}: its seven own types, Nack and Progress. */
final class RandomPaxosMessages implements PeerMessages
{
    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;

    private final MessageLayout layout = new MessageLayout();
    private final Random random;
    private final RandomBatches batches;
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

    RandomPaxosMessages(final Random random)
    {
        this.random = random;
        this.batches = new RandomBatches(random);
    }

    public int types()
    {
        return 9;
    }

    public MessageLayout layout()
    {
        return layout;
    }

    public boolean receives(final int templateId)
    {
        return templateId >= PaxosForwardEncoder.TEMPLATE_ID && templateId <= PaxosHeartbeatEncoder.TEMPLATE_ID ||
            templateId == NackEncoder.TEMPLATE_ID || templateId == ProgressEncoder.TEMPLATE_ID;
    }

    public int message(final int type, final int sender, final MutableDirectBuffer buffer)
    {
        layout.clear();
        final long ballot = Ballot.initial(0, random.nextInt(3)) + ((long)(1 + random.nextInt(4)) << 16);
        final long position = (1L << 40) + random.nextInt(1 << 30);
        final long chosenUpTo = random.nextInt(1000);
        batches.next();
        // every message but Forward and Progress starts with its ballot, most then with a log position
        final boolean atBallot = random.nextBoolean();
        layout.rangeAt(HEADER + (atBallot ? 0 : Long.BYTES), atBallot ? MessageLayout.BALLOT : MessageLayout.POSITION);
        switch (type)
        {
            case 0:
                layout.rangeAt(-1, -1);
                forward.wrapAndApplyHeader(buffer, 0, header);
                return RandomBatches.withCommands(layout, forward.limit(),
                    forward.putCommands(batches.commands, 0, batches.commandsLength).limit());
            case 1:
                return prepare.wrapAndApplyHeader(buffer, 0, header).ballot(ballot).fromSlot(position).limit();
            case 2:
                return promise(ballot, position, chosenUpTo, buffer);
            case 3:
                accept.wrapAndApplyHeader(buffer, 0, header).ballot(ballot).slot(position).chosenUpTo(chosenUpTo);
                return RandomBatches.withCommands(layout, accept.limit(),
                    accept.putCommands(batches.commands, 0, batches.commandsLength).limit());
            case 4:
                return accepted.wrapAndApplyHeader(buffer, 0, header).ballot(ballot).slot(position).limit();
            case 5:
                chosen.wrapAndApplyHeader(buffer, 0, header).ballot(ballot).slot(position);
                return RandomBatches.withCommands(layout, chosen.limit(),
                    chosen.putCommands(batches.commands, 0, batches.commandsLength).limit());
            case 6:
                layout.rangeAt(HEADER, MessageLayout.BALLOT);
                return heartbeat.wrapAndApplyHeader(buffer, 0, header).ballot(ballot).chosenUpTo(chosenUpTo).limit();
            case 7:
                layout.rangeAt(HEADER, MessageLayout.BALLOT);
                return nack.wrapAndApplyHeader(buffer, 0, header).ballot(ballot).dot(Dot.NONE)
                    .promisedBallot(ballot + 1).limit();
            default:
                return RandomDependencyMessages.progress(progress, header, layout, random, sender, buffer);
        }
    }

    /** One to three accepted positions, each with its commands (the last var-data is last in the message). */
    private int promise(final long ballot, final long position, final long chosenUpTo, final MutableDirectBuffer buffer)
    {
        layout.rangeAt(HEADER, MessageLayout.BALLOT);
        promise.wrapAndApplyHeader(buffer, 0, header).ballot(ballot).chosenUpTo(chosenUpTo);
        layout.group(promise.limit(), PaxosPromiseEncoder.AcceptedEncoder.sbeBlockLength());
        final int count = 1 + random.nextInt(3);
        final PaxosPromiseEncoder.AcceptedEncoder entries = promise.acceptedCount(count);
        final int statusEntry = random.nextInt(count);
        for (int i = 0; i < count; i++)
        {
            final int entry = promise.limit();
            entries.next().slot(position + i).acceptedBallot(ballot)
                .status(random.nextBoolean() ? InstanceStatus.ACCEPTED : InstanceStatus.COMMITTED);
            if (i == statusEntry)
            {
                // ACCEPTED, COMMITTED and EXECUTED are the values it takes; anything else past EXECUTED is malformed
                layout.enumAt(entry + PaxosPromiseEncoder.AcceptedEncoder.statusEncodingOffset(),
                    MessageLayout.STATUS_VALUES);
                if (random.nextBoolean())
                {
                    layout.rangeAt(entry + PaxosPromiseEncoder.AcceptedEncoder.slotEncodingOffset(),
                        MessageLayout.POSITION);
                }
            }
            layout.varDataOffset = promise.limit();
            entries.putCommands(batches.commands, 0, batches.commandsLength);
        }
        return promise.limit();
    }
}
