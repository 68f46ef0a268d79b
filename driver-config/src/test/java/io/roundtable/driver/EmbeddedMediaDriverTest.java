package io.roundtable.driver;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.aeron.protocol.DataHeaderFlyweight;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real embedded driver from the SHARED preset: a message crosses it, and closing leaves nothing in /dev/shm.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EmbeddedMediaDriverTest
{
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(20);
    private static final int MESSAGE_LENGTH = 24;

    private final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(MESSAGE_LENGTH));
    private final UnsafeBuffer received = new UnsafeBuffer(new byte[MESSAGE_LENGTH]);
    private int receivedLength;

    @Test
    void sharedPresetCarriesAMessageOverUdpLoopbackAndDeletesItsDirectoryOnClose()
    {
        // Port 0: the OS picks a free port for the subscription, so parallel runs cannot collide.
        sendOneMessageAndClose(Channels.udp("127.0.0.1", 0), true);
    }

    @Test
    void sharedPresetCarriesAMessageOverIpcAndDeletesItsDirectoryOnClose()
    {
        sendOneMessageAndClose(Channels.IPC, false);
    }

    private void sendOneMessageAndClose(final String subscriptionChannel, final boolean resolvePort)
    {
        final MediaDriver.Context driverContext = MediaDriverPresets.shared().build();
        final String directory = driverContext.aeronDirectoryName();
        final FragmentHandler handler = this::onFragment;

        try (MediaDriver driver = MediaDriver.launch(driverContext);
            Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(directory));
            Subscription subscription = aeron.addSubscription(subscriptionChannel, StreamIds.PEER_PROTOCOL))
        {
            assertTrue(new File(directory).isDirectory(), "driver directory exists while running: " + directory);

            final String publicationChannel;
            if (resolvePort)
            {
                awaitTrue(() -> null != subscription.resolvedEndpoint(), "subscription bound its port");
                publicationChannel = Channels.udp(subscription.resolvedEndpoint());
            }
            else
            {
                publicationChannel = subscriptionChannel;
            }

            try (Publication publication = aeron.addExclusivePublication(publicationChannel, StreamIds.PEER_PROTOCOL))
            {
                assertEquals(MediaDriverPresets.SHARED_TERM_LENGTH, publication.termBufferLength());
                assertEquals(
                    MediaDriverPresets.DEFAULT_MTU_LENGTH,
                    publication.maxPayloadLength() + DataHeaderFlyweight.HEADER_LENGTH);
                awaitTrue(publication::isConnected, "publication connected");

                message.putLong(0, 0x0123_4567_89AB_CDEFL);
                message.putLong(8, System.nanoTime());
                message.putLong(16, -1L);
                awaitTrue(() -> publication.offer(message, 0, MESSAGE_LENGTH) > 0, "offer accepted");
                awaitTrue(() -> subscription.poll(handler, 1) > 0, "message received");

                assertEquals(MESSAGE_LENGTH, receivedLength);
                for (int i = 0; i < MESSAGE_LENGTH; i += 8)
                {
                    assertEquals(message.getLong(i), received.getLong(i), "bytes " + i + ".." + (i + 7));
                }
            }
        }

        assertFalse(new File(directory).exists(), "driver directory deleted on close: " + directory);
    }

    private void onFragment(
        final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        receivedLength = length;
        buffer.getBytes(offset, received, 0, Math.min(length, MESSAGE_LENGTH));
    }

    private static void awaitTrue(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("timed out waiting for: " + what);
            }
            // Two cores shared by the driver, the client conductor and this thread: yield rather than spin.
            Thread.yield();
        }
    }
}
