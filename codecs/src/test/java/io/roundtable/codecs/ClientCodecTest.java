package io.roundtable.codecs;

import io.roundtable.codecs.CodecFixture.BufferFactory;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;

import static io.roundtable.codecs.CodecFixture.GROUP_HEADER_LENGTH;
import static io.roundtable.codecs.CodecFixture.HEADER_LENGTH;
import static io.roundtable.codecs.CodecFixture.OFFSET;
import static io.roundtable.codecs.CodecFixture.VAR_DATA_HEADER_LENGTH;
import static io.roundtable.codecs.CodecFixture.assertHeader;
import static io.roundtable.codecs.CodecFixture.assertUntouchedOutside;
import static io.roundtable.codecs.CodecFixture.bytes;
import static io.roundtable.codecs.CodecFixture.copyOut;
import static io.roundtable.codecs.CodecFixture.guarded;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** ClientRequest and ClientResponse: what a client sends to a replica and what it gets back. */
class ClientCodecTest
{
    private static final String BUFFERS = "io.roundtable.codecs.CodecFixture#buffers";
    private static final String BUFFERS_AND_COUNTS = "io.roundtable.codecs.CodecFixture#buffersAndCounts";

    @ParameterizedTest(name = "{0} keys={1}")
    @MethodSource(BUFFERS_AND_COUNTS)
    void clientRequestCarriesKeysAndPayload(final BufferFactory factory, final int keyCount)
    {
        // Empty payload with no keys, a payload of a few bytes otherwise: both var-data edge cases are covered.
        final byte[] payload = keyCount == 0 ? new byte[0] : bytes("cas 7 expect=a new=b #" + keyCount);
        final long[] keys = new long[keyCount];
        Arrays.setAll(keys, (i) -> (i * 0x9E37_79B9_7F4A_7C15L));
        final MutableDirectBuffer buffer = guarded(factory);
        final int blockLength = 8 + 8 + 1;

        final ClientRequestEncoder encoder = new ClientRequestEncoder()
            .wrapAndApplyHeader(buffer, OFFSET, new MessageHeaderEncoder())
            .clientId(0xC11E_A7L)
            .requestNumber(keyCount + 1L)
            .write(BooleanType.TRUE);
        final ClientRequestEncoder.KeysEncoder keysEncoder = encoder.keysCount(keyCount);
        for (final long key : keys)
        {
            keysEncoder.next().key(key);
        }
        encoder.putPayload(payload, 0, payload.length);
        final int length = HEADER_LENGTH + encoder.encodedLength();

        assertEquals(
            HEADER_LENGTH + blockLength + GROUP_HEADER_LENGTH + 8 * keyCount + VAR_DATA_HEADER_LENGTH + payload.length,
            length);
        assertUntouchedOutside(buffer, OFFSET, length);

        final MessageHeaderDecoder header = assertHeader(buffer, OFFSET, ClientRequestDecoder.TEMPLATE_ID, blockLength);
        final ClientRequestDecoder decoder = new ClientRequestDecoder()
            .wrap(buffer, OFFSET + HEADER_LENGTH, header.blockLength(), header.version());
        assertEquals(0xC11E_A7L, decoder.clientId());
        assertEquals(keyCount + 1L, decoder.requestNumber());
        assertEquals(BooleanType.TRUE, decoder.write());
        final ClientRequestDecoder.KeysDecoder keysDecoder = decoder.keys();
        assertEquals(keyCount, keysDecoder.count());
        for (final long key : keys)
        {
            assertEquals(key, keysDecoder.next().key());
        }
        assertFalse(keysDecoder.hasNext());
        assertEquals(payload.length, decoder.payloadLength());
        final UnsafeBuffer view = new UnsafeBuffer();
        decoder.wrapPayload(view);
        assertArrayEquals(payload, copyOut(view, 0, view.capacity()));
        assertEquals(length, HEADER_LENGTH + decoder.encodedLength());
        assertEquals(length, HEADER_LENGTH + decoder.sbeDecodedLength());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BUFFERS)
    void clientResponseCarriesStatusLeaderHintAndResult(final BufferFactory factory)
    {
        final int blockLength = 8 + 8 + 1 + 4;
        for (final ResponseStatus status : ResponseStatus.values())
        {
            if (status == ResponseStatus.NULL_VAL)
            {
                continue;
            }
            // Only OK answers carry a result; the others exercise empty var-data.
            final byte[] result = status == ResponseStatus.OK ? bytes("value-of-42") : new byte[0];
            final int leaderHint = status == ResponseStatus.REDIRECT ? 2 : -1;
            final MutableDirectBuffer buffer = guarded(factory);

            final ClientResponseEncoder encoder = new ClientResponseEncoder()
                .wrapAndApplyHeader(buffer, OFFSET, new MessageHeaderEncoder())
                .clientId(-5L)
                .requestNumber(Long.MAX_VALUE)
                .status(status)
                .leaderHint(leaderHint)
                .putResult(result, 0, result.length);
            final int length = HEADER_LENGTH + encoder.encodedLength();

            assertEquals(HEADER_LENGTH + blockLength + VAR_DATA_HEADER_LENGTH + result.length, length);
            assertUntouchedOutside(buffer, OFFSET, length);

            final MessageHeaderDecoder header = assertHeader(
                buffer, OFFSET, ClientResponseDecoder.TEMPLATE_ID, blockLength);
            final ClientResponseDecoder decoder = new ClientResponseDecoder()
                .wrap(buffer, OFFSET + HEADER_LENGTH, header.blockLength(), header.version());
            assertEquals(-5L, decoder.clientId());
            assertEquals(Long.MAX_VALUE, decoder.requestNumber());
            assertEquals(status, decoder.status());
            assertEquals(leaderHint, decoder.leaderHint());
            assertEquals(result.length, decoder.resultLength());
            final MutableDirectBuffer copy = new ExpandableArrayBuffer();
            assertEquals(result.length, decoder.getResult(copy, 0, decoder.resultLength()));
            assertArrayEquals(result, copyOut(copy, 0, result.length));
            assertEquals(length, HEADER_LENGTH + decoder.encodedLength());
            assertEquals(length, HEADER_LENGTH + decoder.sbeDecodedLength());
        }
    }
}
