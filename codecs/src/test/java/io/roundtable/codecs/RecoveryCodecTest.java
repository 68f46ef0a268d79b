package io.roundtable.codecs;

import io.roundtable.codecs.CodecFixture.BufferFactory;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;

import static io.roundtable.codecs.CodecFixture.FAST_QUORUMS;
import static io.roundtable.codecs.CodecFixture.HEADER_LENGTH;
import static io.roundtable.codecs.CodecFixture.OFFSET;
import static io.roundtable.codecs.CodecFixture.assertHeader;
import static io.roundtable.codecs.CodecFixture.assertUntouchedOutside;
import static io.roundtable.codecs.CodecFixture.ballot;
import static io.roundtable.codecs.CodecFixture.dot;
import static io.roundtable.codecs.CodecFixture.guarded;
import static io.roundtable.codecs.CodecFixture.rootBlockLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Prepare, PrepareOk, TryPreAccept, TryPreAcceptReply and Nack: explicit-prepare recovery and ballot rejection. */
class RecoveryCodecTest
{
    private static final String BUFFERS = "io.roundtable.codecs.CodecFixture#buffers";
    private static final String SHAPES = "io.roundtable.codecs.InstanceShape#withBuffers";

    /** The Ballot.NONE sentinel (-1): "nothing accepted yet" must survive as a negative number. */
    private static final long NO_BALLOT = -1L;

    /** ballot + dot + status + acceptedBallot + seq + fastQuorum, from the schema. */
    private static final int PREPARE_OK_BLOCK_LENGTH = 8 + 8 + 1 + 8 + 4 + 8;

    /** ballot + dot + seq + fastQuorum, from the schema. */
    private static final int TRY_PRE_ACCEPT_BLOCK_LENGTH = 8 + 8 + 4 + 8;

    private static final long RECOVERY_BALLOT = ballot(1, 4, 2);
    private static final long DOT = dot(4, 281_474_976_710_655L);

    @ParameterizedTest(name = "{0}")
    @MethodSource(BUFFERS)
    void prepareNamesBallotAndDot(final BufferFactory factory)
    {
        final MutableDirectBuffer buffer = guarded(factory);

        final PrepareEncoder encoder = new PrepareEncoder()
            .wrapAndApplyHeader(buffer, OFFSET, new MessageHeaderEncoder())
            .ballot(RECOVERY_BALLOT)
            .dot(DOT)
            .putCommands(new byte[0], 0, 0); // EPaxos: no commands (Atlas's MRec may carry the recoverer's copy)
        final int length = HEADER_LENGTH + encoder.encodedLength();

        assertEquals(HEADER_LENGTH + 8 + 8 + 4, length);
        assertUntouchedOutside(buffer, OFFSET, length);

        final MessageHeaderDecoder header = assertHeader(buffer, OFFSET, PrepareDecoder.TEMPLATE_ID, 8 + 8);
        final PrepareDecoder decoder = new PrepareDecoder()
            .wrap(buffer, OFFSET + HEADER_LENGTH, header.blockLength(), header.version());
        assertEquals(RECOVERY_BALLOT, decoder.ballot());
        assertEquals(DOT, decoder.dot());
        assertEquals(0, decoder.commandsLength());
        decoder.skipCommands();
        assertEquals(length, HEADER_LENGTH + decoder.encodedLength());
        assertEquals(length, HEADER_LENGTH + decoder.sbeDecodedLength());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BUFFERS)
    void prepareCarriesTheRecoverersCommands(final BufferFactory factory)
    {
        final MutableDirectBuffer buffer = guarded(factory);
        final byte[] commands = {1, 2, 3, 4, 5};

        final PrepareEncoder encoder = new PrepareEncoder()
            .wrapAndApplyHeader(buffer, OFFSET, new MessageHeaderEncoder())
            .ballot(RECOVERY_BALLOT)
            .dot(DOT)
            .putCommands(commands, 0, commands.length);
        final int length = HEADER_LENGTH + encoder.encodedLength();

        assertEquals(HEADER_LENGTH + 8 + 8 + 4 + commands.length, length);
        assertUntouchedOutside(buffer, OFFSET, length);

        final MessageHeaderDecoder header = assertHeader(buffer, OFFSET, PrepareDecoder.TEMPLATE_ID, 8 + 8);
        final PrepareDecoder decoder = new PrepareDecoder()
            .wrap(buffer, OFFSET + HEADER_LENGTH, header.blockLength(), header.version());
        final byte[] read = new byte[commands.length];
        assertEquals(commands.length, decoder.getCommands(read, 0, read.length));
        org.junit.jupiter.api.Assertions.assertArrayEquals(commands, read);
        assertEquals(length, HEADER_LENGTH + decoder.sbeDecodedLength());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource(SHAPES)
    void prepareOkReportsWhatTheAcceptorRecorded(final BufferFactory factory, final InstanceShape shape)
    {
        final long accepted = ballot(1, 2, 3);
        for (final InstanceStatus status : knownStatuses())
        {
            for (final long fastQuorum : FAST_QUORUMS)
            {
                prepareOkRoundTrip(
                    factory, shape, status, status == InstanceStatus.NONE ? NO_BALLOT : accepted, fastQuorum);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource(SHAPES)
    void tryPreAcceptCarriesTheCandidateTupleAndItsFastQuorum(final BufferFactory factory, final InstanceShape shape)
    {
        for (final long fastQuorum : FAST_QUORUMS)
        {
            tryPreAcceptRoundTrip(factory, shape, fastQuorum);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BUFFERS)
    void tryPreAcceptReplyNamesTheConflictAndItsStatus(final BufferFactory factory)
    {
        for (final InstanceStatus conflictStatus : knownStatuses())
        {
            tryPreAcceptReplyRoundTrip(factory, BooleanType.FALSE, dot(1, 99L), conflictStatus);
        }
        tryPreAcceptReplyRoundTrip(factory, BooleanType.TRUE, 0L, InstanceStatus.NONE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BUFFERS)
    void nackCarriesTheRejectedAndThePromisedBallot(final BufferFactory factory)
    {
        final MutableDirectBuffer buffer = guarded(factory);
        final long promised = ballot(32_767, 0xFFFF_FFFFL, 32_767);

        final NackEncoder encoder = new NackEncoder()
            .wrapAndApplyHeader(buffer, OFFSET, new MessageHeaderEncoder())
            .ballot(RECOVERY_BALLOT)
            .dot(DOT)
            .promisedBallot(promised);
        final int length = HEADER_LENGTH + encoder.encodedLength();

        assertEquals(HEADER_LENGTH + 8 + 8 + 8, length);
        assertUntouchedOutside(buffer, OFFSET, length);

        final MessageHeaderDecoder header = assertHeader(buffer, OFFSET, NackDecoder.TEMPLATE_ID, 8 + 8 + 8);
        final NackDecoder decoder = new NackDecoder()
            .wrap(buffer, OFFSET + HEADER_LENGTH, header.blockLength(), header.version());
        assertEquals(RECOVERY_BALLOT, decoder.ballot());
        assertEquals(DOT, decoder.dot());
        assertEquals(promised, decoder.promisedBallot());
        assertEquals(length, HEADER_LENGTH + decoder.encodedLength());
        assertEquals(length, HEADER_LENGTH + decoder.sbeDecodedLength());
    }

    private static void prepareOkRoundTrip(
        final BufferFactory factory,
        final InstanceShape shape,
        final InstanceStatus status,
        final long accepted,
        final long fastQuorum)
    {
        final String what = status.name() + " fastQuorum=0x" + Long.toHexString(fastQuorum);
        final MutableDirectBuffer buffer = guarded(factory);
        final MutableDirectBuffer scratch = new ExpandableArrayBuffer();
        final int commandsLength = shape.encodeCommands(scratch);
        final int blockLength = PREPARE_OK_BLOCK_LENGTH;
        final int fastQuorumOffset = 8 + 8 + 1 + 8 + 4;

        final PrepareOkEncoder encoder = new PrepareOkEncoder()
            .wrapAndApplyHeader(buffer, OFFSET, new MessageHeaderEncoder())
            .ballot(RECOVERY_BALLOT)
            .dot(DOT)
            .status(status)
            .acceptedBallot(accepted)
            .seq(31)
            .fastQuorum(fastQuorum);
        final PrepareOkEncoder.DepsEncoder depsEncoder = encoder.depsCount(shape.deps().length);
        for (final long dep : shape.deps())
        {
            depsEncoder.next().dot(dep);
        }
        encoder.putCommands(scratch, 0, commandsLength);
        final int length = HEADER_LENGTH + encoder.encodedLength();

        assertEquals(shape.expectedLength(blockLength, 8), length, what);
        assertUntouchedOutside(buffer, OFFSET, length);
        assertEquals(fastQuorumOffset, PrepareOkDecoder.fastQuorumEncodingOffset());
        assertEquals(fastQuorum, rootBlockLong(buffer, OFFSET, fastQuorumOffset), "on the wire after seq, " + what);

        final MessageHeaderDecoder header = assertHeader(buffer, OFFSET, PrepareOkDecoder.TEMPLATE_ID, blockLength);
        final PrepareOkDecoder decoder = new PrepareOkDecoder()
            .wrap(buffer, OFFSET + HEADER_LENGTH, header.blockLength(), header.version());
        assertEquals(RECOVERY_BALLOT, decoder.ballot());
        assertEquals(DOT, decoder.dot());
        assertEquals(status, decoder.status());
        assertEquals(accepted, decoder.acceptedBallot());
        assertEquals(31, decoder.seq());
        assertEquals(fastQuorum, decoder.fastQuorum(), what);
        final PrepareOkDecoder.DepsDecoder deps = decoder.deps();
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

    private static void tryPreAcceptRoundTrip(
        final BufferFactory factory, final InstanceShape shape, final long fastQuorum)
    {
        final String quorum = "fastQuorum=0x" + Long.toHexString(fastQuorum);
        final MutableDirectBuffer buffer = guarded(factory);
        final MutableDirectBuffer scratch = new ExpandableArrayBuffer();
        final int commandsLength = shape.encodeCommands(scratch);
        final int blockLength = TRY_PRE_ACCEPT_BLOCK_LENGTH;
        final int fastQuorumOffset = 8 + 8 + 4;

        final TryPreAcceptEncoder encoder = new TryPreAcceptEncoder()
            .wrapAndApplyHeader(buffer, OFFSET, new MessageHeaderEncoder())
            .ballot(RECOVERY_BALLOT)
            .dot(DOT)
            .seq(-7)
            .fastQuorum(fastQuorum);
        final TryPreAcceptEncoder.DepsEncoder depsEncoder = encoder.depsCount(shape.deps().length);
        for (final long dep : shape.deps())
        {
            depsEncoder.next().dot(dep);
        }
        encoder.putCommands(scratch, 0, commandsLength);
        final int length = HEADER_LENGTH + encoder.encodedLength();

        assertEquals(shape.expectedLength(blockLength, 8), length, quorum);
        assertUntouchedOutside(buffer, OFFSET, length);
        assertEquals(fastQuorumOffset, TryPreAcceptDecoder.fastQuorumEncodingOffset());
        assertEquals(fastQuorum, rootBlockLong(buffer, OFFSET, fastQuorumOffset), "on the wire after seq");

        final MessageHeaderDecoder header = assertHeader(buffer, OFFSET, TryPreAcceptDecoder.TEMPLATE_ID, blockLength);
        final TryPreAcceptDecoder decoder = new TryPreAcceptDecoder()
            .wrap(buffer, OFFSET + HEADER_LENGTH, header.blockLength(), header.version());
        assertEquals(RECOVERY_BALLOT, decoder.ballot());
        assertEquals(DOT, decoder.dot());
        assertEquals(-7, decoder.seq());
        assertEquals(fastQuorum, decoder.fastQuorum(), quorum);
        final TryPreAcceptDecoder.DepsDecoder deps = decoder.deps();
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

    private static void tryPreAcceptReplyRoundTrip(
        final BufferFactory factory, final BooleanType ok, final long conflictDot, final InstanceStatus conflictStatus)
    {
        final MutableDirectBuffer buffer = guarded(factory);
        final int blockLength = 8 + 8 + 1 + 8 + 1;

        final TryPreAcceptReplyEncoder encoder = new TryPreAcceptReplyEncoder()
            .wrapAndApplyHeader(buffer, OFFSET, new MessageHeaderEncoder())
            .ballot(RECOVERY_BALLOT)
            .dot(DOT)
            .ok(ok)
            .conflictDot(conflictDot)
            .conflictStatus(conflictStatus);
        final int length = HEADER_LENGTH + encoder.encodedLength();

        assertEquals(HEADER_LENGTH + blockLength, length);
        assertUntouchedOutside(buffer, OFFSET, length);

        final MessageHeaderDecoder header = assertHeader(
            buffer, OFFSET, TryPreAcceptReplyDecoder.TEMPLATE_ID, blockLength);
        final TryPreAcceptReplyDecoder decoder = new TryPreAcceptReplyDecoder()
            .wrap(buffer, OFFSET + HEADER_LENGTH, header.blockLength(), header.version());
        assertEquals(RECOVERY_BALLOT, decoder.ballot());
        assertEquals(DOT, decoder.dot());
        assertEquals(ok, decoder.ok());
        assertEquals(conflictDot, decoder.conflictDot());
        assertEquals(conflictStatus, decoder.conflictStatus(), conflictStatus.name());
        assertEquals(length, HEADER_LENGTH + decoder.encodedLength());
        assertEquals(length, HEADER_LENGTH + decoder.sbeDecodedLength());
    }

    /** Every status the schema defines; NULL_VAL is the codec's "absent" marker, never sent. */
    private static InstanceStatus[] knownStatuses()
    {
        return Arrays.stream(InstanceStatus.values())
            .filter((status) -> status != InstanceStatus.NULL_VAL)
            .toArray(InstanceStatus[]::new);
    }
}
