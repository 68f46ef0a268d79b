package io.roundtable.codecs;

import io.roundtable.codecs.CodecFixture.BufferFactory;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;

import static io.roundtable.codecs.CodecFixture.HEADER_LENGTH;
import static io.roundtable.codecs.CodecFixture.OFFSET;
import static io.roundtable.codecs.CodecFixture.VAR_DATA_HEADER_LENGTH;
import static io.roundtable.codecs.CodecFixture.assertHeader;
import static io.roundtable.codecs.CodecFixture.assertUntouchedOutside;
import static io.roundtable.codecs.CodecFixture.bytes;
import static io.roundtable.codecs.CodecFixture.copyOut;
import static io.roundtable.codecs.CodecFixture.guarded;
import static io.roundtable.codecs.CodecFixture.rootBlockLong;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * KvCommand and KvResult: the payload of a client command for the built-in key-value state machine, and what the
 * state machine answers. Both are whole messages with their own header, nested in ClientRequest/CommandBatch
 * payloads and ClientResponse results.
 */
class KeyValueCodecTest
{
    private static final String BUFFERS = "io.roundtable.codecs.CodecFixture#buffers";

    /** operation + key, from the schema. */
    private static final int COMMAND_BLOCK_LENGTH = 1 + 8;

    /** found, from the schema. */
    private static final int RESULT_BLOCK_LENGTH = 1;

    /** Key offset in KvCommand's root block: right after the one-byte operation, so deliberately unaligned. */
    private static final int KEY_OFFSET = 1;

    /** Long.MIN_VALUE is SBE's int64 null; the key is required, so it must pass unchanged like any other key. */
    private static final long[] KEYS = { 42L, 0L, -1L, Long.MAX_VALUE, Long.MIN_VALUE };

    /**
     * (expected, value) pairs: both empty (GET, or a PUT of an empty value), a PUT's new value only, a CAS against
     * "the key has no value" (empty expected), a CAS with both, binary bytes, and a value longer than any small
     * buffer a test would guess by accident.
     */
    private static final byte[][][] VAR_DATA = {
        { new byte[0], new byte[0] },
        { new byte[0], bytes("v1") },
        { new byte[0], bytes("first") },
        { bytes("old"), bytes("new") },
        { new byte[]{ 0, -1, 127, -128 }, pattern(1_000) } };

    @ParameterizedTest(name = "{0}")
    @MethodSource(BUFFERS)
    void kvCommandCarriesOperationKeyExpectedAndValue(final BufferFactory factory)
    {
        int round = 0;
        for (final KvOperation operation : knownOperations())
        {
            for (final byte[][] varData : VAR_DATA)
            {
                commandRoundTrip(factory, operation, KEYS[round++ % KEYS.length], varData[0], varData[1]);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BUFFERS)
    void kvResultCarriesFoundAndValue(final BufferFactory factory)
    {
        // GET hit with a value, GET miss (no value), CAS swapped / not swapped (no value), and a large value.
        resultRoundTrip(factory, BooleanType.TRUE, bytes("value-of-42"));
        resultRoundTrip(factory, BooleanType.FALSE, new byte[0]);
        resultRoundTrip(factory, BooleanType.TRUE, new byte[0]);
        resultRoundTrip(factory, BooleanType.FALSE, new byte[]{ 0, -1 });
        resultRoundTrip(factory, BooleanType.TRUE, pattern(2_000));
    }

    private static void commandRoundTrip(
        final BufferFactory factory,
        final KvOperation operation,
        final long key,
        final byte[] expected,
        final byte[] value)
    {
        final String what =
            operation + " key=" + key + " expected=" + expected.length + "B value=" + value.length + "B";
        final MutableDirectBuffer buffer = guarded(factory);

        final KvCommandEncoder encoder = new KvCommandEncoder()
            .wrapAndApplyHeader(buffer, OFFSET, new MessageHeaderEncoder())
            .operation(operation)
            .key(key)
            .putExpected(expected, 0, expected.length)
            .putValue(value, 0, value.length);
        final int length = HEADER_LENGTH + encoder.encodedLength();

        assertEquals(
            HEADER_LENGTH + COMMAND_BLOCK_LENGTH +
                VAR_DATA_HEADER_LENGTH + expected.length + VAR_DATA_HEADER_LENGTH + value.length,
            length,
            "wire length from the schema, " + what);
        assertUntouchedOutside(buffer, OFFSET, length);
        assertEquals(wireValue(operation), buffer.getByte(OFFSET + HEADER_LENGTH), "operation on the wire, " + what);
        assertEquals(KEY_OFFSET, KvCommandDecoder.keyEncodingOffset());
        assertEquals(key, rootBlockLong(buffer, OFFSET, KEY_OFFSET), "key on the wire, " + what);

        final MessageHeaderDecoder header = assertHeader(
            buffer, OFFSET, KvCommandDecoder.TEMPLATE_ID, COMMAND_BLOCK_LENGTH);
        final KvCommandDecoder decoder = new KvCommandDecoder()
            .wrap(buffer, OFFSET + HEADER_LENGTH, header.blockLength(), header.version());
        assertEquals(wireValue(operation), decoder.operationRaw(), what);
        assertEquals(operation, decoder.operation(), what);
        assertEquals(key, decoder.key(), what);
        // The state machine reads both var-data as views, without copying.
        assertEquals(expected.length, decoder.expectedLength(), what);
        final UnsafeBuffer expectedView = new UnsafeBuffer();
        decoder.wrapExpected(expectedView);
        assertArrayEquals(expected, copyOut(expectedView, 0, expectedView.capacity()), what);
        assertEquals(value.length, decoder.valueLength(), what);
        final UnsafeBuffer valueView = new UnsafeBuffer();
        decoder.wrapValue(valueView);
        assertArrayEquals(value, copyOut(valueView, 0, valueView.capacity()), what);
        assertEquals(length, HEADER_LENGTH + decoder.encodedLength(), "bytes consumed by reading every field");
        assertEquals(length, HEADER_LENGTH + decoder.sbeDecodedLength(), "sbeDecodedLength");

        // Second pass: skip the expectation (a PUT has none to check), copy the value out.
        decoder.sbeRewind();
        assertEquals(expected.length, decoder.skipExpected(), what);
        final MutableDirectBuffer copy = new ExpandableArrayBuffer();
        assertEquals(value.length, decoder.getValue(copy, 0, decoder.valueLength()), what);
        assertArrayEquals(value, copyOut(copy, 0, value.length), what);
        assertEquals(length, HEADER_LENGTH + decoder.encodedLength());
    }

    private static void resultRoundTrip(final BufferFactory factory, final BooleanType found, final byte[] value)
    {
        final String what = "found=" + found + " value=" + value.length + "B";
        final MutableDirectBuffer buffer = guarded(factory);

        final KvResultEncoder encoder = new KvResultEncoder()
            .wrapAndApplyHeader(buffer, OFFSET, new MessageHeaderEncoder())
            .found(found)
            .putValue(value, 0, value.length);
        final int length = HEADER_LENGTH + encoder.encodedLength();

        assertEquals(
            HEADER_LENGTH + RESULT_BLOCK_LENGTH + VAR_DATA_HEADER_LENGTH + value.length,
            length,
            "wire length from the schema, " + what);
        assertUntouchedOutside(buffer, OFFSET, length);
        assertEquals(found == BooleanType.TRUE ? 1 : 0, buffer.getByte(OFFSET + HEADER_LENGTH), what);

        final MessageHeaderDecoder header = assertHeader(
            buffer, OFFSET, KvResultDecoder.TEMPLATE_ID, RESULT_BLOCK_LENGTH);
        final KvResultDecoder decoder = new KvResultDecoder()
            .wrap(buffer, OFFSET + HEADER_LENGTH, header.blockLength(), header.version());
        assertEquals(found, decoder.found(), what);
        assertEquals(value.length, decoder.valueLength(), what);
        // The client copies the value out into its own array, as KeyValueCommands.resultValue does.
        final byte[] copy = new byte[value.length];
        assertEquals(value.length, decoder.getValue(copy, 0, copy.length), what);
        assertArrayEquals(value, copy, what);
        assertEquals(length, HEADER_LENGTH + decoder.encodedLength(), "bytes consumed by reading every field");
        assertEquals(length, HEADER_LENGTH + decoder.sbeDecodedLength(), "sbeDecodedLength");

        decoder.sbeRewind();
        final UnsafeBuffer view = new UnsafeBuffer();
        decoder.wrapValue(view);
        assertArrayEquals(value, copyOut(view, 0, view.capacity()), what);
        assertEquals(length, HEADER_LENGTH + decoder.encodedLength());
    }

    /** The values the schema assigns, spelled out so a renumbering in the schema fails here and not in a client. */
    private static int wireValue(final KvOperation operation)
    {
        switch (operation)
        {
            case PUT: return 1;
            case GET: return 2;
            case CAS: return 3;
            default: throw new IllegalArgumentException(operation.name());
        }
    }

    /** Every operation the schema defines; NULL_VAL is the codec's "absent" marker, never sent. */
    private static KvOperation[] knownOperations()
    {
        return Arrays.stream(KvOperation.values())
            .filter((operation) -> operation != KvOperation.NULL_VAL)
            .toArray(KvOperation[]::new);
    }

    private static byte[] pattern(final int length)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(i * 31 + 7);
        }
        return bytes;
    }
}
