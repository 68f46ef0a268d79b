package io.roundtable.codecs;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.provider.Arguments;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Shared set-up for the codec round-trip tests: the buffer kinds the runtime uses, a guard byte pattern around every
 * message so an encoder that writes outside its claimed range is caught, and the header check every test applies.
 */
final class CodecFixture
{
    /**
     * Odd on purpose: Aeron aligns fragments to 32 bytes, but a codec must not depend on alignment, and a message
     * nested in var-data (a CommandBatch inside a PreAccept) starts wherever the preceding fields end.
     */
    static final int OFFSET = 13;
    static final int CAPACITY = 4096;
    static final byte GUARD = (byte)0x5A;
    static final int HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;
    static final int GROUP_HEADER_LENGTH = 4;
    static final int VAR_DATA_HEADER_LENGTH = 4;

    /**
     * The {@code fastQuorum} bitmasks (bit r set: replica r is in the fast quorum) that PreAccept, PrepareOk,
     * TryPreAccept and InstanceRecord round trips run with: the slow path (0), replicas 0-2, a sparse set, replica 63
     * with replicas 0 and 2 (the sign bit must survive), and replica 63 alone, which is bit for bit SBE's int64 null
     * value and must still pass unchanged because the field is required.
     */
    static final long[] FAST_QUORUMS = { 0L, 0b111L, 0b1_0110L, (1L << 63) | 5L, 1L << 63 };

    private CodecFixture()
    {
    }

    /**
     * Direct (off-heap, as Aeron term buffers are), heap-backed UnsafeBuffer, and the ExpandableArrayBuffer that
     * scratch encoders use. Each test runs against all three.
     */
    static Stream<Arguments> buffers()
    {
        return Stream.of(
            Arguments.of(named("direct UnsafeBuffer", () -> new UnsafeBuffer(ByteBuffer.allocateDirect(CAPACITY)))),
            Arguments.of(named("heap UnsafeBuffer", () -> new UnsafeBuffer(new byte[CAPACITY]))),
            Arguments.of(named("ExpandableArrayBuffer", () -> new ExpandableArrayBuffer(CAPACITY))));
    }

    /** Every buffer kind crossed with group sizes from empty to larger than any test would guess by accident. */
    static Stream<Arguments> buffersAndCounts()
    {
        return buffers()
            .map((arguments) -> (BufferFactory)arguments.get()[0])
            .flatMap((factory) -> IntStream.of(0, 1, 3, 100).mapToObj((count) -> Arguments.of(factory, count)));
    }

    static BufferFactory named(final String name, final Supplier<MutableDirectBuffer> supplier)
    {
        return new BufferFactory(name, supplier);
    }

    /** A fresh buffer filled with the guard pattern. */
    static MutableDirectBuffer guarded(final BufferFactory factory)
    {
        final MutableDirectBuffer buffer = factory.supplier.get();
        buffer.setMemory(0, buffer.capacity(), GUARD);
        return buffer;
    }

    /** Every byte outside [offset, offset + length) still holds the guard pattern. */
    static void assertUntouchedOutside(final DirectBuffer buffer, final int offset, final int length)
    {
        for (int i = 0; i < offset; i++)
        {
            assertEquals(GUARD, buffer.getByte(i), "byte written before the message at index " + i);
        }
        for (int i = offset + length; i < CAPACITY; i++)
        {
            assertEquals(GUARD, buffer.getByte(i), "byte written after the message at index " + i);
        }
    }

    /** Asserts the header a decoder will dispatch on and returns it wrapped, ready for the message decoder. */
    static MessageHeaderDecoder assertHeader(
        final DirectBuffer buffer, final int offset, final int templateId, final int blockLength)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, offset);
        assertEquals(MessageHeaderDecoder.SCHEMA_ID, header.schemaId(), "schemaId");
        assertEquals(MessageHeaderDecoder.SCHEMA_VERSION, header.version(), "version");
        assertEquals(templateId, header.templateId(), "templateId");
        assertEquals(blockLength, header.blockLength(), "blockLength");
        return header;
    }

    /**
     * The little-endian int64 at {@code fieldOffset} into the root block of the message whose header is at
     * {@code messageOffset}, read straight from the buffer so a field's position is checked against the schema
     * rather than against the decoder under test.
     */
    static long rootBlockLong(final DirectBuffer buffer, final int messageOffset, final int fieldOffset)
    {
        return buffer.getLong(messageOffset + HEADER_LENGTH + fieldOffset, ByteOrder.LITTLE_ENDIAN);
    }

    /** Same packing as io.roundtable.protocol.Dot (engine depends on codecs, not the other way round). */
    static long dot(final int replica, final long instance)
    {
        return ((long)replica << 48) | instance;
    }

    /** Same packing as io.roundtable.protocol.Ballot. */
    static long ballot(final int epoch, final long counter, final int replica)
    {
        return ((long)epoch << 48) | (counter << 16) | replica;
    }

    static long[] dots(final int count)
    {
        final long[] dots = new long[count];
        for (int i = 0; i < count; i++)
        {
            dots[i] = dot(i % 5, 1_000_000L + i * 7L);
        }
        return dots;
    }

    static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] copyOut(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }

    static final class BufferFactory
    {
        private final String name;
        private final Supplier<MutableDirectBuffer> supplier;

        BufferFactory(final String name, final Supplier<MutableDirectBuffer> supplier)
        {
            this.name = name;
            this.supplier = supplier;
        }

        public String toString()
        {
            return name;
        }
    }
}
