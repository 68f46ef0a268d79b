package io.roundtable.runtime;

import io.roundtable.codecs.AcceptEncoder;
import io.roundtable.codecs.AcceptOkEncoder;
import io.roundtable.codecs.BooleanType;
import io.roundtable.codecs.CommitEncoder;
import io.roundtable.codecs.InstanceStatus;
import io.roundtable.codecs.MessageHeaderEncoder;
import io.roundtable.codecs.NackEncoder;
import io.roundtable.codecs.PreAcceptEncoder;
import io.roundtable.codecs.PreAcceptOkEncoder;
import io.roundtable.codecs.PrepareEncoder;
import io.roundtable.codecs.PrepareOkEncoder;
import io.roundtable.codecs.ProgressEncoder;
import io.roundtable.codecs.TryPreAcceptEncoder;
import io.roundtable.codecs.TryPreAcceptReplyEncoder;
import io.roundtable.protocol.Ballot;
import io.roundtable.protocol.Dot;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.Random;
import java.util.function.LongConsumer;

/** The messages of the dependency-graph protocols, EPaxos and Atlas, as {@link PeerMessages}. */
final class RandomDependencyMessages implements PeerMessages
{
    /**
     * PreAccept, PreAcceptOk, Accept, AcceptOk, Commit, Prepare, PrepareOk, TryPreAccept, TryPreAcceptReply, Nack,
     * Progress.
     */
    static final int PEER_TYPES = 11;

    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;
    private static final int BOOLEAN_VALUES = MessageLayout.BOOLEAN_VALUES;
    private static final int STATUS_VALUES = MessageLayout.STATUS_VALUES;

    final MessageLayout layout = new MessageLayout();
    private final Random random;
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final PreAcceptEncoder preAccept = new PreAcceptEncoder();
    private final PreAcceptOkEncoder preAcceptOk = new PreAcceptOkEncoder();
    private final AcceptEncoder accept = new AcceptEncoder();
    private final AcceptOkEncoder acceptOk = new AcceptOkEncoder();
    private final CommitEncoder commit = new CommitEncoder();
    private final PrepareEncoder prepare = new PrepareEncoder();
    private final PrepareOkEncoder prepareOk = new PrepareOkEncoder();
    private final TryPreAcceptEncoder tryPreAccept = new TryPreAcceptEncoder();
    private final TryPreAcceptReplyEncoder tryPreAcceptReply = new TryPreAcceptReplyEncoder();
    private final NackEncoder nack = new NackEncoder();
    private final ProgressEncoder progress = new ProgressEncoder();
    private final RandomBatches batches;
    private final ExpandableArrayBuffer commands;
    private final long[] deps = new long[8];
    private int depsCount;
    private int commandsLength;

    RandomDependencyMessages(final Random random)
    {
        this.random = random;
        this.batches = new RandomBatches(random);
        this.commands = batches.commands;
    }

    public int types()
    {
        return PEER_TYPES;
    }

    public MessageLayout layout()
    {
        return layout;
    }

    public boolean receives(final int templateId)
    {
        return templateId >= PreAcceptEncoder.TEMPLATE_ID && templateId <= NackEncoder.TEMPLATE_ID ||
            templateId == ProgressEncoder.TEMPLATE_ID;
    }

    public int message(final int type, final int sender, final MutableDirectBuffer buffer)
    {
        layout.clear();
        final long ballot = Ballot.initial(0, random.nextInt(3)) + ((long)random.nextInt(4) << 16);
        final long dot = Dot.of(random.nextInt(3), (1L << 40) + random.nextInt(1 << 30));
        randomDeps();
        batches.next();
        commandsLength = batches.commandsLength;
        // every message but Progress starts with its ballot and its dot
        final boolean atBallot = random.nextBoolean();
        layout.rangeAt(HEADER + (atBallot ? 0 : Long.BYTES), atBallot ? MessageLayout.BALLOT : MessageLayout.DOT);
        switch (type)
        {
            case 0:
            {
                preAccept.wrapAndApplyHeader(buffer, 0, header).ballot(ballot).dot(dot).seq(random.nextInt(100))
                    .fastQuorum(3);
                layout.group(preAccept.limit(), PreAcceptEncoder.DepsEncoder.sbeBlockLength());
                final PreAcceptEncoder.DepsEncoder group = preAccept.depsCount(depsCount);
                forEachDep((dep) -> group.next().dot(dep));
                layout.varDataOffset = preAccept.limit();
                return withCommands(preAccept.putCommands(commands, 0, commandsLength).limit());
            }
            case 1:
            {
                preAcceptOk.wrapAndApplyHeader(buffer, 0, header).ballot(ballot).dot(dot).seq(random.nextInt(100));
                layout.group(preAcceptOk.limit(), PreAcceptOkEncoder.DepsEncoder.sbeBlockLength());
                final PreAcceptOkEncoder.DepsEncoder group = preAcceptOk.depsCount(depsCount);
                for (int i = 0; i < depsCount; i++)
                {
                    group.next().dot(deps[i]).committed(random.nextBoolean() ? BooleanType.TRUE : BooleanType.FALSE);
                }
                if (depsCount > 0)
                {
                    layout.enumAt(layout.groupOffset + PreAcceptOkEncoder.DepsEncoder.sbeHeaderSize() +
                        random.nextInt(depsCount) * layout.groupEntryLength +
                        PreAcceptOkEncoder.DepsEncoder.committedEncodingOffset(), BOOLEAN_VALUES);
                }
                return preAcceptOk.limit();
            }
            case 2:
            {
                accept.wrapAndApplyHeader(buffer, 0, header).ballot(ballot).dot(dot).seq(random.nextInt(100));
                layout.group(accept.limit(), AcceptEncoder.DepsEncoder.sbeBlockLength());
                final AcceptEncoder.DepsEncoder group = accept.depsCount(depsCount);
                forEachDep((dep) -> group.next().dot(dep));
                layout.varDataOffset = accept.limit();
                return withCommands(accept.putCommands(commands, 0, commandsLength).limit());
            }
            case 3:
                return acceptOk.wrapAndApplyHeader(buffer, 0, header).ballot(ballot).dot(dot).limit();
            case 4:
            {
                commit.wrapAndApplyHeader(buffer, 0, header).ballot(ballot).dot(dot).seq(random.nextInt(100));
                layout.group(commit.limit(), CommitEncoder.DepsEncoder.sbeBlockLength());
                final CommitEncoder.DepsEncoder group = commit.depsCount(depsCount);
                forEachDep((dep) -> group.next().dot(dep));
                layout.varDataOffset = commit.limit();
                return withCommands(commit.putCommands(commands, 0, commandsLength).limit());
            }
            case 5:
            {
                prepare.wrapAndApplyHeader(buffer, 0, header).ballot(ballot).dot(dot);
                layout.varDataOffset = prepare.limit();
                return withCommands(prepare.putCommands(commands, 0, commandsLength).limit());
            }
            case 6:
            {
                prepareOk.wrapAndApplyHeader(buffer, 0, header).ballot(ballot).dot(dot)
                    .status(InstanceStatus.get((short)random.nextInt(5))).acceptedBallot(ballot)
                    .seq(random.nextInt(100)).fastQuorum(3);
                layout.group(prepareOk.limit(), PrepareOkEncoder.DepsEncoder.sbeBlockLength());
                final PrepareOkEncoder.DepsEncoder group = prepareOk.depsCount(depsCount);
                forEachDep((dep) -> group.next().dot(dep));
                layout.varDataOffset = prepareOk.limit();
                final int length = withCommands(prepareOk.putCommands(commands, 0, commandsLength).limit());
                if (random.nextBoolean())
                {
                    layout.enumAt(HEADER + PrepareOkEncoder.statusEncodingOffset(), STATUS_VALUES);
                }
                return length;
            }
            case 7:
            {
                tryPreAccept.wrapAndApplyHeader(buffer, 0, header).ballot(ballot).dot(dot).seq(random.nextInt(100))
                    .fastQuorum(3);
                layout.group(tryPreAccept.limit(), TryPreAcceptEncoder.DepsEncoder.sbeBlockLength());
                final TryPreAcceptEncoder.DepsEncoder group = tryPreAccept.depsCount(depsCount);
                forEachDep((dep) -> group.next().dot(dep));
                layout.varDataOffset = tryPreAccept.limit();
                return withCommands(tryPreAccept.putCommands(commands, 0, commandsLength).limit());
            }
            case 8:
            {
                final boolean ok = random.nextBoolean();
                layout.enumAt(HEADER + (ok ? TryPreAcceptReplyEncoder.okEncodingOffset() :
                    TryPreAcceptReplyEncoder.conflictStatusEncodingOffset()), ok ? BOOLEAN_VALUES : STATUS_VALUES);
                return tryPreAcceptReply.wrapAndApplyHeader(buffer, 0, header).ballot(ballot).dot(dot)
                    .ok(BooleanType.FALSE).conflictDot(Dot.of(random.nextInt(3), 1 + random.nextInt(1000)))
                    .conflictStatus(InstanceStatus.PRE_ACCEPTED).limit();
            }
            case 9:
                return nack.wrapAndApplyHeader(buffer, 0, header).ballot(ballot).dot(dot).promisedBallot(ballot + 1)
                    .limit();
            default:
            {
                return RandomDependencyMessages.progress(progress, header, layout, random, sender, buffer);
            }
        }
    }

    /** A Progress message of {@code sender}, of up to three replicas' watermarks: every protocol takes it. */
    static int progress(
        final ProgressEncoder progress, final MessageHeaderEncoder header, final MessageLayout layout,
        final Random random, final int sender, final MutableDirectBuffer buffer)
    {
        progress.wrapAndApplyHeader(buffer, 0, header).replica(sender);
        layout.group(progress.limit(), ProgressEncoder.ExecutedEncoder.sbeBlockLength());
        layout.rangeAt(MessageHeaderEncoder.ENCODED_LENGTH + ProgressEncoder.replicaEncodingOffset(),
            MessageLayout.REPLICA);
        final int entries = random.nextInt(4);
        final ProgressEncoder.ExecutedEncoder group = progress.executedCount(entries);
        for (int i = 0; i < entries; i++)
        {
            group.next().originReplica(i).instance(random.nextInt(1000));
        }
        if (entries > 0 && random.nextBoolean())
        {
            layout.rangeAt(layout.groupOffset + ProgressEncoder.ExecutedEncoder.sbeHeaderSize() +
                random.nextInt(entries) * layout.groupEntryLength +
                ProgressEncoder.ExecutedEncoder.originReplicaEncodingOffset(), MessageLayout.REPLICA);
        }
        return progress.limit();
    }

    private void forEachDep(final LongConsumer consumer)
    {
        for (int i = 0; i < depsCount; i++)
        {
            consumer.accept(deps[i]);
        }
    }

    private int withCommands(final int limit)
    {
        return RandomBatches.withCommands(layout, layout.varDataOffset, limit);
    }

    /** Sorted, distinct, below every dot a message is about (so never the instance itself). */
    private void randomDeps()
    {
        depsCount = random.nextInt(deps.length + 1);
        long next = Dot.of(random.nextInt(3), 0);
        for (int i = 0; i < depsCount; i++)
        {
            next += 1 + random.nextInt(1 << 20);
            deps[i] = next;
        }
    }
}
