package io.roundtable.codecs;

import io.roundtable.codecs.CodecFixture.BufferFactory;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;

import static io.roundtable.codecs.CodecFixture.CAPACITY;
import static io.roundtable.codecs.CodecFixture.OFFSET;
import static io.roundtable.codecs.CodecFixture.assertUntouchedOutside;
import static io.roundtable.codecs.CodecFixture.bytes;
import static io.roundtable.codecs.CodecFixture.guarded;
import static io.roundtable.codecs.TestCommand.assertBatch;
import static io.roundtable.codecs.TestCommand.encodeBatch;
import static io.roundtable.codecs.TestCommand.expectedBatchLength;
import static org.junit.jupiter.api.Assertions.assertEquals;

class CommandBatchCodecTest
{
    private static final String BUFFERS = "io.roundtable.codecs.CodecFixture#buffers";

    @ParameterizedTest(name = "{0}")
    @MethodSource(BUFFERS)
    void emptyBatchIsJustHeaderAndGroupDimensions(final BufferFactory factory)
    {
        roundTrip(factory);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BUFFERS)
    void commandWithNoKeysAndEmptyPayloadRoundTrips(final BufferFactory factory)
    {
        roundTrip(factory, new TestCommand(7L, 1L, false, new long[0], new byte[0]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BUFFERS)
    void severalCommandsKeepTheirOwnKeysAndPayloads(final BufferFactory factory)
    {
        roundTrip(
            factory,
            new TestCommand(1L, 100L, true, new long[]{ 42L, 43L }, bytes("put 42=a; put 43=b")),
            new TestCommand(2L, 5L, false, new long[]{ 42L }, bytes("get 42")),
            new TestCommand(3L, 9L, true, new long[0], new byte[0]),
            new TestCommand(1L, 101L, true, new long[]{ -1L, 0L, 1L, 2L, 3L }, new byte[]{ 0, -1, 127, -128 }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BUFFERS)
    void extremeValuesSurviveIncludingTheInt64NullSentinel(final BufferFactory factory)
    {
        // Long.MIN_VALUE is SBE's null for int64; the schema marks these fields required, so it must pass unchanged.
        roundTrip(
            factory,
            new TestCommand(
                Long.MIN_VALUE, Long.MAX_VALUE, true, new long[]{ Long.MIN_VALUE, Long.MAX_VALUE }, bytes("x")),
            new TestCommand(Long.MAX_VALUE, 0L, false, new long[]{ 0L }, new byte[0]));
    }

    @Test
    void randomBatchesRoundTripForEverySeed()
    {
        final long baseSeed = Long.getLong("roundtable.codec.seed", 0x5EEDL);
        for (int round = 0; round < 300; round++)
        {
            final long seed = baseSeed + round;
            final Random random = new Random(seed);
            final TestCommand[] commands = new TestCommand[random.nextInt(6)];
            for (int i = 0; i < commands.length; i++)
            {
                final long[] keys = new long[random.nextInt(5)];
                for (int k = 0; k < keys.length; k++)
                {
                    keys[k] = random.nextLong();
                }
                final byte[] payload = new byte[random.nextInt(64)];
                random.nextBytes(payload);
                commands[i] = new TestCommand(
                    random.nextLong(), random.nextLong(), random.nextBoolean(), keys, payload);
            }

            final int offset = random.nextInt(64);
            final MutableDirectBuffer buffer = new UnsafeBuffer(new byte[CAPACITY]);
            try
            {
                final int length = encodeBatch(buffer, offset, commands);
                assertEquals(expectedBatchLength(commands), length);
                assertBatch(buffer, offset, length, commands);
            }
            catch (final AssertionError ex)
            {
                throw new AssertionError("replay with -Droundtable.codec.seed=" + seed + " (round 0)", ex);
            }
        }
    }

    private static void roundTrip(final BufferFactory factory, final TestCommand... commands)
    {
        final MutableDirectBuffer buffer = guarded(factory);

        final int length = encodeBatch(buffer, OFFSET, commands);

        assertEquals(expectedBatchLength(commands), length, "wire length from the schema");
        assertUntouchedOutside(buffer, OFFSET, length);
        assertBatch(buffer, OFFSET, length, commands);
    }
}
