package io.roundtable.runtime;

import io.aeron.Aeron;
import io.aeron.ChannelUriStringBuilder;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.exceptions.RegistrationException;
import io.roundtable.driver.StreamIds;
import io.roundtable.transport.PeerTransport;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Where {@link MalformedInputTest} sends from, all at one replica: its peer port as a given replica (the sender's
 * identity is the Aeron session id), its peer port as a sender that is no peer, its client port, and raw UDP
 * datagrams at both ports. Offers retry until the message is in the log, so every message is delivered.
 */
final class FuzzChannels implements AutoCloseable
{
    static final int AS_PEER = 0;
    static final int AS_NO_PEER = 1;
    static final int CLIENT_PORT = 2;
    static final String[] NAMES = {"peer port as replica 2", "peer port as no peer", "client port"};

    /** A peer session id whose replica id is no replica of a small cluster. */
    private static final int NO_PEER_SESSION_ID = PeerTransport.sessionId(100, 7);

    final long[] sent = new long[NAMES.length];
    private final ExclusivePublication[] publications = new ExclusivePublication[NAMES.length];
    private final DatagramChannel udp;
    private final InetSocketAddress[] ports;
    private final ByteBuffer datagram = ByteBuffer.allocateDirect(1500);

    FuzzChannels(final Aeron aeron, final String peerEndpoint, final String clientEndpoint, final int asReplica)
        throws IOException
    {
        publications[AS_PEER] = add(aeron, peerEndpoint, StreamIds.PEER_PROTOCOL,
            PeerTransport.sessionId(asReplica, 0xF022)); // any incarnation passes for the replica's
        publications[AS_NO_PEER] = add(aeron, peerEndpoint, StreamIds.PEER_PROTOCOL, NO_PEER_SESSION_ID);
        publications[CLIENT_PORT] = add(aeron, clientEndpoint, StreamIds.CLIENT_INGRESS, null);
        udp = DatagramChannel.open();
        ports = new InetSocketAddress[]{address(peerEndpoint), address(clientEndpoint)};
    }

    /** Waits until the replica's subscriptions have an image of every publication. */
    void awaitConnected(final long timeoutNs)
    {
        final long deadlineNs = System.nanoTime() + timeoutNs;
        for (final ExclusivePublication publication : publications)
        {
            while (!publication.isConnected())
            {
                if (System.nanoTime() - deadlineNs > 0)
                {
                    throw new IllegalStateException("not connected in time: " + publication.channel());
                }
                sleep(1);
            }
        }
    }

    void send(final int channel, final DirectBuffer buffer, final int length)
    {
        final ExclusivePublication publication = publications[channel];
        long result;
        long deadlineNs = 0;
        while ((result = publication.offer(buffer, 0, length)) < 0)
        {
            if (0 == deadlineNs)
            {
                deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            }
            if (result == Publication.CLOSED || result == Publication.NOT_CONNECTED ||
                result == Publication.MAX_POSITION_EXCEEDED || System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException("offer to " + publication.channel() + " failed: " + result +
                    " (the replica stopped reading?)");
            }
            Thread.yield(); // back pressure or admin action: the message must go, so try again
        }
        sent[channel]++;
    }

    /** One datagram of random bytes, at most an Ethernet payload long, to the peer or the client port. */
    void sendNoiseDatagram(final Random random, final boolean toPeerPort) throws IOException
    {
        datagram.clear().limit(1 + random.nextInt(datagram.capacity()));
        while (datagram.hasRemaining())
        {
            datagram.put((byte)random.nextInt());
        }
        udp.send(datagram.flip(), ports[toPeerPort ? 0 : 1]);
    }

    public void close()
    {
        CloseHelper.closeAll(publications);
        CloseHelper.close(udp);
    }

    static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Retries while the driver still holds a lingering publication (a stopped replica's) with the same session id. */
    private static ExclusivePublication add(
        final Aeron aeron, final String endpoint, final int streamId, final Integer sessionId)
    {
        final String channel = new ChannelUriStringBuilder().media("udp").endpoint(endpoint).sessionId(sessionId)
            .build();
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true)
        {
            try
            {
                final ExclusivePublication publication = aeron.addExclusivePublication(channel, streamId);
                if (null != sessionId && publication.sessionId() != sessionId)
                {
                    throw new IllegalStateException("session id " + publication.sessionId() + " is not " + sessionId);
                }
                return publication;
            }
            catch (final RegistrationException ex)
            {
                if (System.nanoTime() - deadlineNs > 0)
                {
                    throw ex;
                }
                sleep(10);
            }
        }
    }

    private static InetSocketAddress address(final String endpoint)
    {
        final int colon = endpoint.lastIndexOf(':');
        return new InetSocketAddress(endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1)));
    }
}
