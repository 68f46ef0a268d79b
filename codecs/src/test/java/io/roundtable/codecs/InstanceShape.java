package io.roundtable.codecs;

import io.roundtable.codecs.CodecFixture.BufferFactory;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.provider.Arguments;

import java.util.stream.Stream;

import static io.roundtable.codecs.CodecFixture.GROUP_HEADER_LENGTH;
import static io.roundtable.codecs.CodecFixture.HEADER_LENGTH;
import static io.roundtable.codecs.CodecFixture.VAR_DATA_HEADER_LENGTH;
import static io.roundtable.codecs.CodecFixture.bytes;
import static io.roundtable.codecs.CodecFixture.dots;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The deps group and the {@code commands} var-data of an instance-carrying message (PreAccept, Accept, Commit,
 * PrepareOk, TryPreAccept, InstanceRecord), from empty to large, so each message is checked at its boundaries:
 * no deps with no bytes at all, an encoded batch of zero commands, and several or many of both.
 */
enum InstanceShape
{
    NO_DEPS_NO_COMMAND_BYTES(0, null),
    ONE_DEP_EMPTY_BATCH(1, new TestCommand[0]),
    THREE_DEPS_TWO_COMMANDS(3, new TestCommand[]{
        new TestCommand(11L, 1L, true, new long[]{ 100L, 200L }, bytes("0123456789abcdef")),
        new TestCommand(12L, 9L, false, new long[]{ 100L }, new byte[0]) }),
    MANY_DEPS_FIVE_COMMANDS(100, new TestCommand[]{
        new TestCommand(1L, 1L, true, new long[]{ 1L }, bytes("a")),
        new TestCommand(2L, 2L, true, new long[]{ 1L, 2L }, bytes("bb")),
        new TestCommand(3L, 3L, false, new long[0], new byte[0]),
        new TestCommand(4L, 4L, true, new long[]{ 4L, 5L, 6L }, new byte[300]),
        new TestCommand(5L, 5L, false, new long[]{ -5L }, bytes("eeeee")) });

    private final long[] deps;
    private final TestCommand[] commands;

    InstanceShape(final int depsCount, final TestCommand[] commands)
    {
        this.deps = dots(depsCount);
        this.commands = commands;
    }

    static Stream<Arguments> withBuffers()
    {
        return CodecFixture.buffers()
            .map((arguments) -> (BufferFactory)arguments.get()[0])
            .flatMap((factory) -> Stream.of(values()).map((shape) -> Arguments.of(factory, shape)));
    }

    long[] deps()
    {
        return deps;
    }

    /** Encodes this shape's CommandBatch into {@code scratch} at 0; returns its length, 0 for "no bytes". */
    int encodeCommands(final MutableDirectBuffer scratch)
    {
        return null == commands ? 0 : TestCommand.encodeBatch(scratch, 0, commands);
    }

    int commandsLength()
    {
        return null == commands ? 0 : TestCommand.expectedBatchLength(commands);
    }

    /** Asserts the var-data bytes a decoder handed out (wrapped or copied) are this shape's batch. */
    void assertCommands(final DirectBuffer buffer, final int offset, final int length)
    {
        if (null == commands)
        {
            assertEquals(0, length, "empty commands var-data");
        }
        else
        {
            TestCommand.assertBatch(buffer, offset, length, commands);
        }
    }

    /** A view of exactly the var-data bytes, as the runtime hands them to the executor without copying. */
    void assertCommandsView(final UnsafeBuffer view)
    {
        assertCommands(view, 0, view.capacity());
    }

    /** Wire length of a message with the given root block, this shape's deps (entry size given) and commands. */
    int expectedLength(final int blockLength, final int depEntryLength)
    {
        return HEADER_LENGTH + blockLength + GROUP_HEADER_LENGTH + deps.length * depEntryLength +
            VAR_DATA_HEADER_LENGTH + commandsLength();
    }
}
