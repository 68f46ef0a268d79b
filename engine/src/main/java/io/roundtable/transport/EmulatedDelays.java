package io.roundtable.transport;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.ExpandableRingBuffer;
import org.agrona.concurrent.NanoClock;

/**
 * A WAN on a LAN: holds each message to a peer for that peer's one-way delay (half the region pair's round trip)
 * before the transport publishes it, on the real Aeron path. Each peer's queue is FIFO with one constant delay, so it
 * is also in due order and a release stops at the first message not yet due. The delay is measured from the send;
 * a message is released on the first duty cycle after it is due, so an idle strategy that parks for up to 1 ms adds
 * up to 1 ms.
 */
public final class EmulatedDelays
{
    /** No emulation: messages leave at once. */
    public static final EmulatedDelays NONE = new EmulatedDelays();

    /** Bytes before each held message: the nanosecond time it is due. */
    static final int HEADER_LENGTH = Long.BYTES;

    /** What one peer's delay queue may hold; beyond it messages are dropped and counted, as for back pressure. */
    public static final int MAX_DELAYED_BYTES_PER_PEER = 256 * 1024 * 1024;

    private final long[] delayNs;
    private final ExpandableRingBuffer[] queues;
    private final NanoClock clock;
    private final ExpandableArrayBuffer entry = new ExpandableArrayBuffer(4096);
    private final boolean active;
    private long nowNs;
    private long dropped;

    private EmulatedDelays()
    {
        this.delayNs = new long[0];
        this.queues = new ExpandableRingBuffer[0];
        this.clock = null;
        this.active = false;
    }

    /**
     * @param oneWayDelayNs the delay of a message to each replica, indexed by replica id (this one's is ignored).
     * @param clock         the replica's clock.
     */
    public EmulatedDelays(final long[] oneWayDelayNs, final NanoClock clock)
    {
        boolean any = false;
        for (final long delay : oneWayDelayNs)
        {
            if (delay < 0)
            {
                throw new IllegalArgumentException("a delay cannot be negative: " + delay + " ns");
            }
            any |= delay > 0;
        }
        this.delayNs = oneWayDelayNs.clone();
        this.queues = new ExpandableRingBuffer[oneWayDelayNs.length];
        for (int peer = 0; peer < queues.length; peer++)
        {
            if (delayNs[peer] > 0)
            {
                queues[peer] = new ExpandableRingBuffer(64 * 1024, MAX_DELAYED_BYTES_PER_PEER, false);
            }
        }
        this.clock = clock;
        this.active = any;
    }

    /** The replica count this was built for; 0 for {@link #NONE}. */
    public int replicaCount()
    {
        return delayNs.length;
    }

    boolean active()
    {
        return active;
    }

    long delayNs(final int peer)
    {
        return delayNs[peer];
    }

    /** Queues {@code length} bytes of {@code message} for {@code peer}, due its delay from now. */
    void delay(final int peer, final DirectBuffer message, final int length)
    {
        entry.putLong(0, clock.nanoTime() + delayNs[peer]);
        entry.putBytes(HEADER_LENGTH, message, 0, length);
        if (!queues[peer].append(entry, 0, HEADER_LENGTH + length))
        {
            dropped++;
        }
    }

    /** Reads the clock once for a round of {@link #release}s. */
    void now()
    {
        nowNs = clock.nanoTime();
    }

    /** Hands {@code peer}'s due messages to {@code consumer}, which stops at the first not yet due. */
    void release(final int peer, final ExpandableRingBuffer.MessageConsumer consumer)
    {
        final ExpandableRingBuffer queue = queues[peer];
        if (null != queue && !queue.isEmpty())
        {
            queue.consume(consumer, Integer.MAX_VALUE);
        }
    }

    /** Whether the held entry at {@code offset} (its header) is due at the time read by {@link #now()}. */
    boolean isDue(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset) - nowNs <= 0;
    }

    long dropped()
    {
        return dropped;
    }
}
