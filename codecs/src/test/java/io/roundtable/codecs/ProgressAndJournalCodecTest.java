package io.roundtable.codecs;

import io.roundtable.codecs.CodecFixture.BufferFactory;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
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
import static io.roundtable.codecs.CodecFixture.guarded;
import static io.roundtable.codecs.CodecFixture.rootBlockLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Progress (execution watermarks for garbage collection) and InstanceRecord (the journal's one record type). */
class ProgressAndJournalCodecTest
{
    private static final String BUFFERS_AND_COUNTS = "io.roundtable.codecs.CodecFixture#buffersAndCounts";
    private static final String SHAPES = "io.roundtable.codecs.InstanceShape#withBuffers";

    @ParameterizedTest(name = "{0} origins={1}")
    @MethodSource(BUFFERS_AND_COUNTS)
    void progressCarriesOneWatermarkPerOriginReplica(final BufferFactory factory, final int origins)
    {
        final MutableDirectBuffer buffer = guarded(factory);

        final ProgressEncoder encoder = new ProgressEncoder()
            .wrapAndApplyHeader(buffer, OFFSET, new MessageHeaderEncoder())
            .replica(3);
        final ProgressEncoder.ExecutedEncoder executed = encoder.executedCount(origins);
        for (int i = 0; i < origins; i++)
        {
            executed.next().originReplica(i).instance(watermark(i));
        }
        final int length = HEADER_LENGTH + encoder.encodedLength();

        assertEquals(HEADER_LENGTH + 4 + GROUP_HEADER_LENGTH + origins * (4 + 8), length);
        assertUntouchedOutside(buffer, OFFSET, length);

        final MessageHeaderDecoder header = assertHeader(buffer, OFFSET, ProgressDecoder.TEMPLATE_ID, 4);
        final ProgressDecoder decoder = new ProgressDecoder()
            .wrap(buffer, OFFSET + HEADER_LENGTH, header.blockLength(), header.version());
        assertEquals(3, decoder.replica());
        final ProgressDecoder.ExecutedDecoder executedDecoder = decoder.executed();
        assertEquals(origins, executedDecoder.count());
        assertEquals(4 + 8, executedDecoder.actingBlockLength());
        for (int i = 0; i < origins; i++)
        {
            executedDecoder.next();
            assertEquals(i, executedDecoder.originReplica());
            assertEquals(watermark(i), executedDecoder.instance());
        }
        assertFalse(executedDecoder.hasNext());
        assertEquals(length, HEADER_LENGTH + decoder.encodedLength());
        assertEquals(length, HEADER_LENGTH + decoder.sbeDecodedLength());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource(SHAPES)
    void instanceRecordKeepsPromisedAndAcceptedBallotsApart(final BufferFactory factory, final InstanceShape shape)
    {
        for (final long fastQuorum : FAST_QUORUMS)
        {
            instanceRecordRoundTrip(factory, shape, fastQuorum);
        }
    }

    private static void instanceRecordRoundTrip(
        final BufferFactory factory, final InstanceShape shape, final long fastQuorum)
    {
        final String quorum = "fastQuorum=0x" + Long.toHexString(fastQuorum);
        final MutableDirectBuffer buffer = guarded(factory);
        final MutableDirectBuffer scratch = new ExpandableArrayBuffer();
        final int commandsLength = shape.encodeCommands(scratch);
        final long dot = dot(2, 5_000L);
        final long promised = ballot(0, 3, 1);
        final long accepted = ballot(0, 0, 2);
        // dot + status + promisedBallot + acceptedBallot + seq + fastQuorum, from the schema.
        final int blockLength = 8 + 1 + 8 + 8 + 4 + 8;
        final int fastQuorumOffset = 8 + 1 + 8 + 8 + 4;

        final InstanceRecordEncoder encoder = new InstanceRecordEncoder()
            .wrapAndApplyHeader(buffer, OFFSET, new MessageHeaderEncoder())
            .dot(dot)
            .status(InstanceStatus.ACCEPTED)
            .promisedBallot(promised)
            .acceptedBallot(accepted)
            .seq(99)
            .fastQuorum(fastQuorum);
        final InstanceRecordEncoder.DepsEncoder depsEncoder = encoder.depsCount(shape.deps().length);
        for (final long dep : shape.deps())
        {
            depsEncoder.next().dot(dep);
        }
        encoder.putCommands(scratch, 0, commandsLength);
        final int length = HEADER_LENGTH + encoder.encodedLength();

        assertEquals(shape.expectedLength(blockLength, 8), length, quorum);
        assertUntouchedOutside(buffer, OFFSET, length);
        assertEquals(fastQuorumOffset, InstanceRecordDecoder.fastQuorumEncodingOffset());
        assertEquals(fastQuorum, rootBlockLong(buffer, OFFSET, fastQuorumOffset), "on the wire after seq");

        final MessageHeaderDecoder header = assertHeader(
            buffer, OFFSET, InstanceRecordDecoder.TEMPLATE_ID, blockLength);
        final InstanceRecordDecoder decoder = new InstanceRecordDecoder()
            .wrap(buffer, OFFSET + HEADER_LENGTH, header.blockLength(), header.version());
        assertEquals(dot, decoder.dot());
        assertEquals(InstanceStatus.ACCEPTED, decoder.status());
        assertEquals(promised, decoder.promisedBallot());
        assertEquals(accepted, decoder.acceptedBallot());
        assertEquals(99, decoder.seq());
        // Replay rebuilds the instance from the last record per dot alone, so the fast quorum must be in it.
        assertEquals(fastQuorum, decoder.fastQuorum(), quorum);
        final InstanceRecordDecoder.DepsDecoder deps = decoder.deps();
        assertEquals(shape.deps().length, deps.count());
        for (final long expected : shape.deps())
        {
            assertEquals(expected, deps.next().dot());
        }
        assertFalse(deps.hasNext());
        // Journal replay copies the commands out, because the record's memory is reused for the next one.
        final MutableDirectBuffer copy = new ExpandableArrayBuffer();
        assertEquals(commandsLength, decoder.getCommands(copy, 0, decoder.commandsLength()));
        shape.assertCommands(copy, 0, commandsLength);
        assertEquals(length, HEADER_LENGTH + decoder.encodedLength());
        assertEquals(length, HEADER_LENGTH + decoder.sbeDecodedLength());
    }

    private static long watermark(final int originReplica)
    {
        return originReplica == 0 ? 0L : (1L << 48) - originReplica;
    }
}
