package io.roundtable.bench;

import io.roundtable.command.CommandBatchWriter;
import io.roundtable.protocol.Outbox;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * An {@link Outbox} that keeps the last message a publisher encoded, in a direct buffer like an Aeron term, so a codec
 * benchmark can encode through a protocol's real publisher and hand the bytes to its real adapter. Also writes the
 * sample command batch the messages carry: one put of a 16-byte value on two keys, as {@code PreAcceptCodecBenchmark}
 * uses.
 */
public final class LastMessageOutbox implements Outbox
{
    private static final int CAPACITY = 4096;
    private static final int PAYLOAD_LENGTH = 16;

    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(CAPACITY));
    private int length;
    private int sends;

    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    public void send(final int toReplica, final int length)
    {
        this.length = length;
        sends++;
    }

    public void sendToAll(final int length)
    {
        this.length = length;
        sends++;
    }

    /** The last message sent: {@code [0, length())} of {@link #buffer()}. */
    public UnsafeBuffer message()
    {
        return buffer;
    }

    public int length()
    {
        return length;
    }

    public int sends()
    {
        return sends;
    }

    /**
     * Writes the sample batch into {@code out} at 0.
     *
     * @return its length.
     */
    public static int writeSampleBatch(final ExpandableArrayBuffer out)
    {
        final long[] keys = { 42L, 43L };
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD_LENGTH]);
        for (int i = 0; i < PAYLOAD_LENGTH; i++)
        {
            payload.putByte(i, (byte)(0x11 * i));
        }
        return new CommandBatchWriter().begin(out, 0, 1).add(7L, 1_234L, true, keys, 2, payload, 0, PAYLOAD_LENGTH)
            .end();
    }
}
