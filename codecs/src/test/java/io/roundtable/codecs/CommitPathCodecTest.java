package io.roundtable.codecs;

import io.roundtable.codecs.CodecFixture.BufferFactory;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.roundtable.codecs.CodecFixture.FAST_QUORUMS;
import static io.roundtable.codecs.CodecFixture.GROUP_HEADER_LENGTH;
import static io.roundtable.codecs.CodecFixture.HEADER_LENGTH;
import static io.roundtable.codecs.CodecFixture.OFFSET;
import static io.roundtable.codecs.CodecFixture.assertHeader;
import static io.roundtable.codecs.CodecFixture.assertUntouchedOutside;
import static io.roundtable.codecs.CodecFixture.ballot;
import static io.roundtable.codecs.CodecFixture.dot;
import static io.roundtable.codecs.CodecFixture.dots;
import static io.roundtable.codecs.CodecFixture.guarded;
import static io.roundtable.codecs.CodecFixture.rootBlockLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** PreAccept, PreAcceptOk, Accept, AcceptOk and Commit: the messages of EPaxos' fast and slow commit paths. */
class CommitPathCodecTest
{
    private static final String BUFFERS = "io.roundtable.codecs.CodecFixture#buffers";
    private static final String BUFFERS_AND_COUNTS = "io.roundtable.codecs.CodecFixture#buffersAndCounts";
    private static final String SHAPES = "io.roundtable.codecs.InstanceShape#withBuffers";

    /** ballot + dot + seq, from the schema: PreAcceptOk, Accept and Commit. */
    private static final int INSTANCE_BLOCK_LENGTH = 8 + 8 + 4;

    /** ballot + dot + seq + fastQuorum, from the schema: PreAccept alone carries the fast quorum. */
    private static final int PRE_ACCEPT_BLOCK_LENGTH = 8 + 8 + 4 + 8;

    /** fastQuorum follows seq in PreAccept's root block. */
    private static final int FAST_QUORUM_OFFSET = 8 + 8 + 4;

    private static final long BALLOT = ballot(2, 0, 3);
    private static final long DOT = dot(3, 77L);
    private static final int SEQ = 12_345;

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource(SHAPES)
    void preAcceptCarriesFastQuorumDepsAndANestedCommandBatch(final BufferFactory factory, final InstanceShape shape)
    {
        for (final long fastQuorum : FAST_QUORUMS)
        {
            preAcceptRoundTrip(factory, shape, fastQuorum);
        }
    }

    @ParameterizedTest(name = "{0} deps={1}")
    @MethodSource(BUFFERS_AND_COUNTS)
    void preAcceptOkCarriesPerDependencyCommittedFlags(final BufferFactory factory, final int depsCount)
    {
        final MutableDirectBuffer buffer = guarded(factory);
        final long[] dots = dots(depsCount);

        final PreAcceptOkEncoder encoder = new PreAcceptOkEncoder()
            .wrapAndApplyHeader(buffer, OFFSET, new MessageHeaderEncoder())
            .ballot(BALLOT)
            .dot(DOT)
            .seq(SEQ + 1);
        final PreAcceptOkEncoder.DepsEncoder depsEncoder = encoder.depsCount(depsCount);
        for (int i = 0; i < depsCount; i++)
        {
            depsEncoder.next().dot(dots[i]).committed(committed(i));
        }
        final int length = HEADER_LENGTH + encoder.encodedLength();

        assertEquals(HEADER_LENGTH + INSTANCE_BLOCK_LENGTH + GROUP_HEADER_LENGTH + depsCount * (8 + 1), length);
        assertUntouchedOutside(buffer, OFFSET, length);

        final MessageHeaderDecoder header = assertHeader(
            buffer, OFFSET, PreAcceptOkDecoder.TEMPLATE_ID, INSTANCE_BLOCK_LENGTH);
        final PreAcceptOkDecoder decoder = new PreAcceptOkDecoder()
            .wrap(buffer, OFFSET + HEADER_LENGTH, header.blockLength(), header.version());
        assertEquals(BALLOT, decoder.ballot());
        assertEquals(DOT, decoder.dot());
        assertEquals(SEQ + 1, decoder.seq());
        final PreAcceptOkDecoder.DepsDecoder deps = decoder.deps();
        assertEquals(depsCount, deps.count());
        assertEquals(8 + 1, deps.actingBlockLength());
        for (int i = 0; i < depsCount; i++)
        {
            deps.next();
            assertEquals(dots[i], deps.dot(), "dep " + i);
            assertEquals(committed(i), deps.committed(), "committed flag of dep " + i);
        }
        assertFalse(deps.hasNext());
        assertEquals(length, HEADER_LENGTH + decoder.encodedLength());
        assertEquals(length, HEADER_LENGTH + decoder.sbeDecodedLength());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource(SHAPES)
    void acceptCarriesTheTupleBeingAccepted(final BufferFactory factory, final InstanceShape shape)
    {
        final MutableDirectBuffer buffer = guarded(factory);
        final MutableDirectBuffer scratch = new ExpandableArrayBuffer();
        final int commandsLength = shape.encodeCommands(scratch);
        final long recoveryBallot = ballot(2, 5, 1);

        final AcceptEncoder encoder = new AcceptEncoder()
            .wrapAndApplyHeader(buffer, OFFSET, new MessageHeaderEncoder())
            .ballot(recoveryBallot)
            .dot(DOT)
            .seq(Integer.MAX_VALUE);
        final AcceptEncoder.DepsEncoder depsEncoder = encoder.depsCount(shape.deps().length);
        for (final long dep : shape.deps())
        {
            depsEncoder.next().dot(dep);
        }
        encoder.putCommands(scratch, 0, commandsLength);
        final int length = HEADER_LENGTH + encoder.encodedLength();

        assertEquals(shape.expectedLength(INSTANCE_BLOCK_LENGTH, 8), length);
        assertUntouchedOutside(buffer, OFFSET, length);

        final MessageHeaderDecoder header = assertHeader(
            buffer, OFFSET, AcceptDecoder.TEMPLATE_ID, INSTANCE_BLOCK_LENGTH);
        final AcceptDecoder decoder = new AcceptDecoder()
            .wrap(buffer, OFFSET + HEADER_LENGTH, header.blockLength(), header.version());
        assertEquals(recoveryBallot, decoder.ballot());
        assertEquals(DOT, decoder.dot());
        assertEquals(Integer.MAX_VALUE, decoder.seq());
        final AcceptDecoder.DepsDecoder deps = decoder.deps();
        assertEquals(shape.deps().length, deps.count());
        for (final long expected : shape.deps())
        {
            assertEquals(expected, deps.next().dot());
        }
        assertFalse(deps.hasNext());
        final UnsafeBuffer view = new UnsafeBuffer();
        decoder.wrapCommands(view);
        shape.assertCommandsView(view);
        assertEquals(length, HEADER_LENGTH + decoder.encodedLength());
        assertEquals(length, HEADER_LENGTH + decoder.sbeDecodedLength());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BUFFERS)
    void acceptOkNamesBallotAndDot(final BufferFactory factory)
    {
        final MutableDirectBuffer buffer = guarded(factory);

        final AcceptOkEncoder encoder = new AcceptOkEncoder()
            .wrapAndApplyHeader(buffer, OFFSET, new MessageHeaderEncoder())
            .ballot(BALLOT)
            .dot(DOT);
        final int length = HEADER_LENGTH + encoder.encodedLength();

        assertEquals(HEADER_LENGTH + 8 + 8, length);
        assertUntouchedOutside(buffer, OFFSET, length);

        final MessageHeaderDecoder header = assertHeader(buffer, OFFSET, AcceptOkDecoder.TEMPLATE_ID, 8 + 8);
        final AcceptOkDecoder decoder = new AcceptOkDecoder()
            .wrap(buffer, OFFSET + HEADER_LENGTH, header.blockLength(), header.version());
        assertEquals(BALLOT, decoder.ballot());
        assertEquals(DOT, decoder.dot());
        assertEquals(length, HEADER_LENGTH + decoder.encodedLength());
        assertEquals(length, HEADER_LENGTH + decoder.sbeDecodedLength());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource(SHAPES)
    void commitCarriesTheDecidedTupleAndItsCommands(final BufferFactory factory, final InstanceShape shape)
    {
        final MutableDirectBuffer buffer = guarded(factory);
        final MutableDirectBuffer scratch = new ExpandableArrayBuffer();
        final int commandsLength = shape.encodeCommands(scratch);

        final CommitEncoder encoder = new CommitEncoder()
            .wrapAndApplyHeader(buffer, OFFSET, new MessageHeaderEncoder())
            .ballot(BALLOT)
            .dot(DOT)
            .seq(0);
        final CommitEncoder.DepsEncoder depsEncoder = encoder.depsCount(shape.deps().length);
        for (final long dep : shape.deps())
        {
            depsEncoder.next().dot(dep);
        }
        encoder.putCommands(scratch, 0, commandsLength);
        final int length = HEADER_LENGTH + encoder.encodedLength();

        assertEquals(shape.expectedLength(INSTANCE_BLOCK_LENGTH, 8), length);
        assertUntouchedOutside(buffer, OFFSET, length);

        final MessageHeaderDecoder header = assertHeader(
            buffer, OFFSET, CommitDecoder.TEMPLATE_ID, INSTANCE_BLOCK_LENGTH);
        final CommitDecoder decoder = new CommitDecoder()
            .wrap(buffer, OFFSET + HEADER_LENGTH, header.blockLength(), header.version());
        assertEquals(BALLOT, decoder.ballot());
        assertEquals(DOT, decoder.dot());
        assertEquals(0, decoder.seq());
        final CommitDecoder.DepsDecoder deps = decoder.deps();
        assertEquals(shape.deps().length, deps.count());
        for (final long expected : shape.deps())
        {
            assertEquals(expected, deps.next().dot());
        }
        assertFalse(deps.hasNext());
        final UnsafeBuffer view = new UnsafeBuffer();
        decoder.wrapCommands(view);
        shape.assertCommandsView(view);
        assertEquals(length, HEADER_LENGTH + decoder.encodedLength());
        assertEquals(length, HEADER_LENGTH + decoder.sbeDecodedLength());
    }

    private static void preAcceptRoundTrip(
        final BufferFactory factory, final InstanceShape shape, final long fastQuorum)
    {
        final String quorum = "fastQuorum=0x" + Long.toHexString(fastQuorum);
        final MutableDirectBuffer buffer = guarded(factory);
        final MutableDirectBuffer scratch = new ExpandableArrayBuffer();
        final int commandsLength = shape.encodeCommands(scratch);

        final PreAcceptEncoder encoder = new PreAcceptEncoder()
            .wrapAndApplyHeader(buffer, OFFSET, new MessageHeaderEncoder())
            .ballot(BALLOT)
            .dot(DOT)
            .seq(SEQ)
            .fastQuorum(fastQuorum);
        final PreAcceptEncoder.DepsEncoder depsEncoder = encoder.depsCount(shape.deps().length);
        for (final long dep : shape.deps())
        {
            depsEncoder.next().dot(dep);
        }
        encoder.putCommands(scratch, 0, commandsLength);
        final int length = HEADER_LENGTH + encoder.encodedLength();

        assertEquals(
            shape.expectedLength(PRE_ACCEPT_BLOCK_LENGTH, 8), length, "wire length from the schema, " + quorum);
        assertUntouchedOutside(buffer, OFFSET, length);
        assertEquals(FAST_QUORUM_OFFSET, PreAcceptDecoder.fastQuorumEncodingOffset());
        assertEquals(fastQuorum, rootBlockLong(buffer, OFFSET, FAST_QUORUM_OFFSET), "on the wire after seq");

        final MessageHeaderDecoder header = assertHeader(
            buffer, OFFSET, PreAcceptDecoder.TEMPLATE_ID, PRE_ACCEPT_BLOCK_LENGTH);
        final PreAcceptDecoder decoder = new PreAcceptDecoder()
            .wrap(buffer, OFFSET + HEADER_LENGTH, header.blockLength(), header.version());
        assertEquals(BALLOT, decoder.ballot());
        assertEquals(DOT, decoder.dot());
        assertEquals(SEQ, decoder.seq());
        assertEquals(fastQuorum, decoder.fastQuorum(), quorum);
        final PreAcceptDecoder.DepsDecoder deps = decoder.deps();
        assertEquals(shape.deps().length, deps.count());
        assertEquals(8, deps.actingBlockLength());
        for (final long expected : shape.deps())
        {
            assertEquals(expected, deps.next().dot());
        }
        assertFalse(deps.hasNext());
        assertEquals(commandsLength, decoder.commandsLength());
        final UnsafeBuffer view = new UnsafeBuffer();
        decoder.wrapCommands(view);
        shape.assertCommandsView(view);
        assertEquals(length, HEADER_LENGTH + decoder.encodedLength(), "bytes consumed by reading every field");
        assertEquals(length, HEADER_LENGTH + decoder.sbeDecodedLength(), "sbeDecodedLength");

        // Second pass the way a journal or a forwarder would: skip the deps, copy the commands out.
        decoder.sbeRewind();
        final PreAcceptDecoder.DepsDecoder skipped = decoder.deps();
        while (skipped.hasNext())
        {
            skipped.next();
        }
        final MutableDirectBuffer copy = new ExpandableArrayBuffer();
        assertEquals(commandsLength, decoder.getCommands(copy, 0, decoder.commandsLength()));
        shape.assertCommands(copy, 0, commandsLength);
        assertEquals(length, HEADER_LENGTH + decoder.encodedLength());
    }

    private static BooleanType committed(final int index)
    {
        return index % 3 == 0 ? BooleanType.TRUE : BooleanType.FALSE;
    }
}
