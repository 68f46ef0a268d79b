package io.roundtable.codecs;

import io.roundtable.codecs.FrameCheck.Verdict;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

import static io.roundtable.codecs.CodecFixture.CAPACITY;
import static io.roundtable.codecs.CodecFixture.HEADER_LENGTH;
import static io.roundtable.codecs.CodecFixture.OFFSET;
import static io.roundtable.codecs.CodecFixture.ballot;
import static io.roundtable.codecs.CodecFixture.bytes;
import static io.roundtable.codecs.CodecFixture.dot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the runtime can tell apart before it hands a fragment to a handler: truncation at every byte, foreign
 * schema, unknown or mismatched template, short root block, trailing bytes, and a newer version it must accept.
 * See {@link FrameCheck} for the rules and why each exists.
 */
class FrameValidationTest
{
    private static final TestCommand[] BATCH = {
        new TestCommand(11L, 1L, true, new long[]{ 100L, 200L }, bytes("0123456789abcdef")),
        new TestCommand(12L, 2L, false, new long[]{ 300L }, bytes("get")) };

    private final FrameCheck check = new FrameCheck();
    private final MutableDirectBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(CAPACITY));

    @Test
    void everyWellFormedMessagePassesTheCheck()
    {
        final Map<String, ToIntFunction<MutableDirectBuffer>> encodings = oneOfEachTemplate();
        // KvCommand and KvResult are not here: they travel nested in client payloads and results, not as fragments.
        assertEquals(15, encodings.size(), "one encoding per message a fragment can carry");

        encodings.forEach((name, encoding) ->
        {
            final int length = encoding.applyAsInt(buffer);
            assertEquals(Verdict.OK, check.check(buffer, OFFSET, length), name);
        });
    }

    @Test
    void everyStrictPrefixOfEveryMessageIsRejectedWithoutReadingPastIt()
    {
        // The full message stays in the buffer past each cut, as the next fragment does in an Aeron term buffer:
        // a check that read beyond the fragment would see valid bytes there and pass.
        oneOfEachTemplate().forEach((name, encoding) ->
        {
            final int length = encoding.applyAsInt(buffer);
            final int blockLength = new MessageHeaderDecoder().wrap(buffer, OFFSET).blockLength();
            for (int cut = 0; cut < length; cut++)
            {
                final Verdict expected = cut < HEADER_LENGTH ? Verdict.TOO_SHORT_FOR_HEADER :
                    cut < HEADER_LENGTH + blockLength ? Verdict.TRUNCATED_BLOCK : Verdict.TRUNCATED_BODY;
                assertEquals(expected, check.check(buffer, OFFSET, cut), name + " cut to " + cut + " of " + length);
            }
        });
    }

    @Test
    void trailingBytesAfterAMessageOfOurOwnVersionAreRejected()
    {
        final int length = encodePreAccept(buffer);

        assertEquals(Verdict.TRAILING_BYTES, check.check(buffer, OFFSET, length + 1));
    }

    @Test
    void foreignSchemaIsRejectedAlthoughTheGeneratedDecoderWouldDecodeIt()
    {
        final int length = encodePreAccept(buffer);
        buffer.putShort(OFFSET + MessageHeaderDecoder.schemaIdEncodingOffset(), (short)(7001 + 1));

        assertEquals(Verdict.FOREIGN_SCHEMA, check.check(buffer, OFFSET, length));
        // wrapAndApplyHeader compares templateId only, which is why the check has to look at schemaId itself.
        final PreAcceptDecoder decoder = new PreAcceptDecoder()
            .wrapAndApplyHeader(buffer, OFFSET, new MessageHeaderDecoder());
        assertEquals(dot(3, 77L), decoder.dot());
    }

    @Test
    void wrongTemplateIsRejectedByTheCheckAndByTheGeneratedDecoder()
    {
        final int length = encodePreAccept(buffer);

        final IllegalStateException ex = assertThrows(
            IllegalStateException.class,
            () -> new AcceptDecoder().wrapAndApplyHeader(buffer, OFFSET, new MessageHeaderDecoder()));
        assertTrue(ex.getMessage().contains("TEMPLATE_ID"), ex.getMessage());

        buffer.putShort(OFFSET + MessageHeaderDecoder.templateIdEncodingOffset(), (short)999);
        assertEquals(Verdict.UNKNOWN_TEMPLATE, check.check(buffer, OFFSET, length));
    }

    @Test
    void rootBlockShorterThanVersionZeroIsRejected()
    {
        final int length = encodePreAccept(buffer);
        buffer.putShort(OFFSET + MessageHeaderDecoder.blockLengthEncodingOffset(), (short)(8 + 8));

        assertEquals(Verdict.BLOCK_TOO_SHORT, check.check(buffer, OFFSET, length));
    }

    @Test
    void preAcceptFromASenderThatPredatesFastQuorumIsRejectedNotMisread()
    {
        // fastQuorum joined version 0 instead of arriving as a version 1 field, so a sender built from the older
        // schema announces version 0 with a 20-byte root block. Decoded with our layout, fastQuorum would be read
        // from its deps group header and the first dep; the check must refuse it before any decoder sees it.
        final int oldRootBlock = 8 + 8 + 4;
        assertEquals(oldRootBlock, PreAcceptDecoder.fastQuorumEncodingOffset());
        assertEquals(oldRootBlock + 8, PreAcceptDecoder.BLOCK_LENGTH);
        final byte[] commands = new byte[TestCommand.expectedBatchLength(BATCH)];
        final int commandsLength = TestCommand.encodeBatch(new UnsafeBuffer(commands), 0, BATCH);

        int position = OFFSET;
        buffer.putShort(position, (short)oldRootBlock);
        buffer.putShort(position + 2, (short)PreAcceptDecoder.TEMPLATE_ID);
        buffer.putShort(position + 4, (short)PreAcceptDecoder.SCHEMA_ID);
        buffer.putShort(position + 6, (short)PreAcceptDecoder.SCHEMA_VERSION);
        position += HEADER_LENGTH;
        buffer.putLong(position, ballot(1, 0, 3));
        buffer.putLong(position + 8, dot(3, 77L));
        buffer.putInt(position + 16, 5);
        position += oldRootBlock;
        buffer.putShort(position, (short)8);
        buffer.putShort(position + 2, (short)1);
        buffer.putLong(position + 4, dot(0, 1L));
        position += 4 + 8;
        buffer.putInt(position, commandsLength);
        buffer.putBytes(position + 4, commands, 0, commandsLength);
        position += 4 + commandsLength;

        assertEquals(Verdict.BLOCK_TOO_SHORT, check.check(buffer, OFFSET, position - OFFSET));
    }

    @Test
    void groupCountPointingPastTheFragmentIsCaughtByTheBoundsCheck()
    {
        final int length = encodePreAccept(buffer);
        final int depsCountOffset = OFFSET + HEADER_LENGTH + PreAcceptDecoder.BLOCK_LENGTH + 2;
        buffer.putShort(depsCountOffset, (short)60_000);

        assertEquals(Verdict.TRUNCATED_BODY, check.check(buffer, OFFSET, length));
    }

    @Test
    void varDataLengthThatReadsBackNegativeIsRejected()
    {
        final int length = encodePreAccept(buffer);
        final int commandsLengthOffset = OFFSET + HEADER_LENGTH + PreAcceptDecoder.BLOCK_LENGTH + 4 + 3 * 8;
        assertEquals(TestCommand.expectedBatchLength(BATCH), buffer.getInt(commandsLengthOffset));
        buffer.putInt(commandsLengthOffset, 0x8000_0000);

        assertTrue(check.check(buffer, OFFSET, length) != Verdict.OK);
    }

    @Test
    void newerVersionWithLongerBlocksAndAnExtraVarDataIsAcceptedAndReadByActingLengths()
    {
        // A hypothetical version 1 PreAccept: 8 more bytes in the root block, 8 more per dep, one more var-data.
        // The version 0 fields are written by hand at their schema offsets: ballot, dot, seq, fastQuorum.
        assertEquals(8 + 8 + 4 + 8, PreAcceptDecoder.BLOCK_LENGTH);
        assertEquals(8 + 8 + 4, PreAcceptDecoder.fastQuorumEncodingOffset());
        final int rootBlock = PreAcceptDecoder.BLOCK_LENGTH + 8;
        final long fastQuorum = (1L << 63) | 5L;
        final int depBlock = 8 + 8;
        final long[] deps = { dot(0, 1L), dot(1, 2L) };
        final byte[] commands = new byte[TestCommand.expectedBatchLength(BATCH)];
        final int commandsLength = TestCommand.encodeBatch(new UnsafeBuffer(commands), 0, BATCH);

        int position = OFFSET;
        buffer.putShort(position, (short)rootBlock);
        buffer.putShort(position + 2, (short)PreAcceptDecoder.TEMPLATE_ID);
        buffer.putShort(position + 4, (short)PreAcceptDecoder.SCHEMA_ID);
        buffer.putShort(position + 6, (short)(PreAcceptDecoder.SCHEMA_VERSION + 1));
        position += HEADER_LENGTH;
        buffer.putLong(position, ballot(1, 0, 3));
        buffer.putLong(position + 8, dot(3, 77L));
        buffer.putInt(position + 16, 5);
        buffer.putLong(position + 20, fastQuorum);
        buffer.putLong(position + 28, 0xDEAD_BEEFL);
        position += rootBlock;
        buffer.putShort(position, (short)depBlock);
        buffer.putShort(position + 2, (short)deps.length);
        position += 4;
        for (final long dep : deps)
        {
            buffer.putLong(position, dep);
            buffer.putLong(position + 8, -1L);
            position += depBlock;
        }
        buffer.putInt(position, commandsLength);
        buffer.putBytes(position + 4, commands, 0, commandsLength);
        position += 4 + commandsLength;
        buffer.putInt(position, 3);
        buffer.putBytes(position + 4, bytes("new"));
        position += 4 + 3;
        final int length = position - OFFSET;

        assertEquals(Verdict.OK, check.check(buffer, OFFSET, length));

        final PreAcceptDecoder decoder = new PreAcceptDecoder()
            .wrapAndApplyHeader(buffer, OFFSET, new MessageHeaderDecoder());
        assertEquals(ballot(1, 0, 3), decoder.ballot());
        assertEquals(dot(3, 77L), decoder.dot());
        assertEquals(5, decoder.seq());
        assertEquals(fastQuorum, decoder.fastQuorum());
        final PreAcceptDecoder.DepsDecoder depsDecoder = decoder.deps();
        assertEquals(deps.length, depsDecoder.count());
        for (final long dep : deps)
        {
            assertEquals(dep, depsDecoder.next().dot());
        }
        final UnsafeBuffer view = new UnsafeBuffer();
        decoder.wrapCommands(view);
        TestCommand.assertBatch(view, 0, view.capacity(), BATCH);
        assertEquals(length - (4 + 3), HEADER_LENGTH + decoder.encodedLength(), "the unknown var-data is left over");
    }

    @Test
    void unknownEnumValueThrowsOnTheTypedAccessorButNotOnTheRawOne()
    {
        final PrepareOkEncoder encoder = new PrepareOkEncoder()
            .wrapAndApplyHeader(buffer, OFFSET, new MessageHeaderEncoder())
            .status(InstanceStatus.COMMITTED);
        encoder.depsCount(0);
        final int length = HEADER_LENGTH + encoder.putCommands(new byte[0], 0, 0).encodedLength();
        final int statusOffset = OFFSET + HEADER_LENGTH + PrepareOkDecoder.statusEncodingOffset();
        buffer.putByte(statusOffset, (byte)42);

        assertEquals(Verdict.OK, check.check(buffer, OFFSET, length), "enums are the handler's business");
        final PrepareOkDecoder decoder = new PrepareOkDecoder()
            .wrapAndApplyHeader(buffer, OFFSET, new MessageHeaderDecoder());
        assertEquals(42, decoder.statusRaw());
        assertThrows(IllegalArgumentException.class, decoder::status);
    }

    private static int encodePreAccept(final MutableDirectBuffer buffer)
    {
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[256]);
        final int commandsLength = TestCommand.encodeBatch(scratch, 0, BATCH);
        final PreAcceptEncoder encoder = new PreAcceptEncoder()
            .wrapAndApplyHeader(buffer, OFFSET, new MessageHeaderEncoder())
            .ballot(ballot(1, 0, 3))
            .dot(dot(3, 77L))
            .seq(5)
            .fastQuorum(0b111L);
        encoder.depsCount(3).next().dot(dot(0, 1L)).next().dot(dot(1, 2L)).next().dot(dot(2, 3L));
        encoder.putCommands(scratch, 0, commandsLength);
        return HEADER_LENGTH + encoder.encodedLength();
    }

    /** One non-trivial encoding of every message, each returning its length written at {@link CodecFixture#OFFSET}. */
    private static Map<String, ToIntFunction<MutableDirectBuffer>> oneOfEachTemplate()
    {
        final Map<String, ToIntFunction<MutableDirectBuffer>> encodings = new LinkedHashMap<>();
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final byte[] payload = bytes("payload");

        encodings.put("CommandBatch", (b) -> TestCommand.encodeBatch(b, OFFSET, BATCH));
        encodings.put("PreAccept", FrameValidationTest::encodePreAccept);
        encodings.put("PreAcceptOk", (b) ->
        {
            final PreAcceptOkEncoder e = new PreAcceptOkEncoder().wrapAndApplyHeader(b, OFFSET, header).seq(1);
            e.depsCount(2).next().dot(1L).committed(BooleanType.TRUE).next().dot(2L).committed(BooleanType.FALSE);
            return HEADER_LENGTH + e.encodedLength();
        });
        encodings.put("Accept", (b) ->
        {
            final AcceptEncoder e = new AcceptEncoder().wrapAndApplyHeader(b, OFFSET, header).seq(1);
            e.depsCount(1).next().dot(1L);
            return HEADER_LENGTH + e.putCommands(payload, 0, payload.length).encodedLength();
        });
        encodings.put("AcceptOk", (b) ->
            HEADER_LENGTH + new AcceptOkEncoder().wrapAndApplyHeader(b, OFFSET, header).dot(1L).encodedLength());
        encodings.put("Commit", (b) ->
        {
            final CommitEncoder e = new CommitEncoder().wrapAndApplyHeader(b, OFFSET, header).seq(1);
            e.depsCount(1).next().dot(1L);
            return HEADER_LENGTH + e.putCommands(payload, 0, payload.length).encodedLength();
        });
        encodings.put("Prepare", (b) ->
            HEADER_LENGTH + new PrepareEncoder().wrapAndApplyHeader(b, OFFSET, header).dot(1L)
                .putCommands(payload, 0, payload.length).encodedLength());
        encodings.put("PrepareOk", (b) ->
        {
            final PrepareOkEncoder e = new PrepareOkEncoder().wrapAndApplyHeader(b, OFFSET, header)
                .status(InstanceStatus.ACCEPTED)
                .fastQuorum(0b1_0110L);
            e.depsCount(1).next().dot(1L);
            return HEADER_LENGTH + e.putCommands(payload, 0, payload.length).encodedLength();
        });
        encodings.put("TryPreAccept", (b) ->
        {
            final TryPreAcceptEncoder e = new TryPreAcceptEncoder().wrapAndApplyHeader(b, OFFSET, header)
                .seq(1)
                .fastQuorum((1L << 63) | 5L);
            e.depsCount(1).next().dot(1L);
            return HEADER_LENGTH + e.putCommands(payload, 0, payload.length).encodedLength();
        });
        encodings.put("TryPreAcceptReply", (b) -> HEADER_LENGTH + new TryPreAcceptReplyEncoder()
            .wrapAndApplyHeader(b, OFFSET, header)
            .ok(BooleanType.FALSE)
            .conflictStatus(InstanceStatus.COMMITTED)
            .encodedLength());
        encodings.put("Nack", (b) ->
            HEADER_LENGTH + new NackEncoder().wrapAndApplyHeader(b, OFFSET, header).promisedBallot(9L).encodedLength());
        encodings.put("ClientRequest", (b) ->
        {
            final ClientRequestEncoder e = new ClientRequestEncoder().wrapAndApplyHeader(b, OFFSET, header)
                .write(BooleanType.TRUE);
            e.keysCount(2).next().key(1L).next().key(2L);
            return HEADER_LENGTH + e.putPayload(payload, 0, payload.length).encodedLength();
        });
        encodings.put("ClientResponse", (b) -> HEADER_LENGTH + new ClientResponseEncoder()
            .wrapAndApplyHeader(b, OFFSET, header)
            .status(ResponseStatus.OK)
            .putResult(payload, 0, payload.length)
            .encodedLength());
        encodings.put("Progress", (b) ->
        {
            final ProgressEncoder e = new ProgressEncoder().wrapAndApplyHeader(b, OFFSET, header).replica(1);
            e.executedCount(2).next().originReplica(0).instance(5L).next().originReplica(1).instance(6L);
            return HEADER_LENGTH + e.encodedLength();
        });
        encodings.put("InstanceRecord", (b) ->
        {
            final InstanceRecordEncoder e = new InstanceRecordEncoder().wrapAndApplyHeader(b, OFFSET, header)
                .status(InstanceStatus.COMMITTED)
                .fastQuorum(0b111L);
            e.depsCount(1).next().dot(1L);
            return HEADER_LENGTH + e.putCommands(payload, 0, payload.length).encodedLength();
        });

        return encodings;
    }
}
