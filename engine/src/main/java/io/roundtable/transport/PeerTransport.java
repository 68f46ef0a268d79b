package io.roundtable.transport;

import io.aeron.Aeron;
import io.aeron.ChannelUriStringBuilder;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.BufferClaim;
import io.aeron.logbuffer.Header;
import io.roundtable.protocol.Outbox;
import io.roundtable.protocol.Protocol;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.ExpandableRingBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A replica's protocol traffic over Aeron UDP: one subscription on its own endpoint, one exclusive publication to
 * each peer's. Each publication's session id carries the sender's replica id ({@link #sessionId}), so the receiver
 * knows who sent a fragment without an envelope. The outbox side claims space in the publication ({@code tryClaim}) for
 * messages that fit a frame and falls back to {@code offer}; a message refused by back pressure or a peer not yet
 * connected is kept, in order, in that peer's overflow ring and retried on the next duty cycle, never dropped and
 * never spun on.
 * <p>
 * The session id also carries a random incarnation number, drawn per transport. A replica restarted after a crash
 * (no end-of-stream sent) would otherwise reuse its session ids, and each peer would ignore the new streams while its
 * image of the dead one lingered, until Aeron's image liveness timeout (10 s by default): all that time the restarted
 * replica could receive but not send, so nothing proposed to it could commit.
 */
public final class PeerTransport implements Outbox, AutoCloseable
{
    /** The high byte of every peer session id ('R'); see {@link #sessionId}. */
    public static final int SESSION_ID_TAG = 0x52000000;

    /** Replica ids a session id can carry: its low byte. */
    public static final int MAX_PEERS = 256;

    private static final int SESSION_ID_TAG_MASK = 0xFF000000;
    private static final int INCARNATION_SHIFT = 8;
    private static final int INCARNATION_MASK = 0xFFFF;

    /**
     * What a peer that stays unreachable may cost in memory. Beyond it messages to that peer are dropped (and
     * counted): the protocols tolerate loss (retransmission, recovery, catch-up), a replica's heap does not tolerate
     * an unbounded queue to a peer that is gone for good.
     */
    public static final int MAX_HELD_BYTES_PER_PEER = 64 * 1024 * 1024;

    private final int self;
    private final Subscription subscription;
    private final ExclusivePublication[] publications;
    private final ExpandableRingBuffer[] overflow;
    private final ExpandableArrayBuffer sendBuffer = new ExpandableArrayBuffer(4096);
    private final UnsafeBuffer releaseView = new UnsafeBuffer(0, 0);
    private final BufferClaim claim = new BufferClaim();
    private final FragmentAssembler assembler;
    private final ExpandableRingBuffer.MessageConsumer retry = this::retry;
    private final ExpandableRingBuffer.MessageConsumer releaseDue = this::releaseIfDue;
    private final EmulatedDelays delays;
    private Protocol protocol;
    private int retryingPeer;
    private boolean holdAll;
    private long backPressureEvents;
    private long messagesOut;
    private long droppedPeerUnreachable;
    private long droppedOversize;

    /**
     * @param endpoints {@code host:port} of every replica, indexed by replica id.
     */
    public PeerTransport(final Aeron aeron, final int self, final String[] endpoints, final int streamId)
    {
        this(aeron, self, endpoints, streamId, EmulatedDelays.NONE);
    }

    /**
     * @param endpoints {@code host:port} of every replica, indexed by replica id.
     * @param delays    how long each peer's messages wait before they leave, to emulate a WAN on a LAN.
     */
    public PeerTransport(
        final Aeron aeron, final int self, final String[] endpoints, final int streamId, final EmulatedDelays delays)
    {
        if (endpoints.length > MAX_PEERS || self < 0 || self >= endpoints.length)
        {
            throw new IllegalArgumentException("replica " + self + " of " + endpoints.length + ": a peer session id " +
                "carries replica ids below " + MAX_PEERS);
        }
        if (delays.replicaCount() != 0 && delays.replicaCount() != endpoints.length)
        {
            throw new IllegalArgumentException("emulated delays for " + delays.replicaCount() + " replicas, but " +
                endpoints.length + " endpoints");
        }
        this.self = self;
        this.delays = delays;
        final int sessionId = sessionId(self, ThreadLocalRandom.current().nextInt(INCARNATION_MASK + 1));
        this.subscription = aeron.addSubscription(
            new ChannelUriStringBuilder().media("udp").endpoint(endpoints[self]).build(), streamId);
        this.publications = new ExclusivePublication[endpoints.length];
        this.overflow = new ExpandableRingBuffer[endpoints.length];
        for (int peer = 0; peer < endpoints.length; peer++)
        {
            if (peer != self)
            {
                publications[peer] = aeron.addExclusivePublication(new ChannelUriStringBuilder()
                    .media("udp").endpoint(endpoints[peer]).sessionId(sessionId).build(), streamId);
                overflow[peer] = new ExpandableRingBuffer(64 * 1024, MAX_HELD_BYTES_PER_PEER, false);
            }
        }
        this.assembler = new FragmentAssembler(this::onFragment);
    }

    /**
     * With {@code hold} set, every message waits in its peer's ring until the next {@link #retryHeldBack()}: for a
     * journal that must be flushed (msync) after a batch of appends and before any message revealing them leaves.
     */
    public void holdUntilRetry(final boolean hold)
    {
        this.holdAll = hold;
    }

    /** The protocol that receives what this transport polls. */
    public void deliverTo(final Protocol protocol)
    {
        this.protocol = protocol;
    }

    /** Polls peer messages into the protocol; returns the number of fragments read. */
    public int poll(final int fragmentLimit)
    {
        return subscription.poll(assembler, fragmentLimit);
    }

    /**
     * Retries messages held back by back pressure, in order per peer, after handing on those whose emulated delay has
     * passed; returns how many went out. Call it after the journal flush: what it releases may reveal new records.
     */
    public int retryHeldBack()
    {
        int sent = 0;
        if (delays.active())
        {
            releaseDelayed();
        }
        for (int peer = 0; peer < overflow.length; peer++)
        {
            if (overflow[peer] != null && !overflow[peer].isEmpty())
            {
                retryingPeer = peer;
                sent += overflow[peer].consume(retry, Integer.MAX_VALUE);
            }
        }
        return sent;
    }

    /**
     * The session id of replica {@code replicaId}'s publications: {@link #SESSION_ID_TAG} in the high byte, the low 16
     * bits of {@code incarnation} in the middle two, the replica id in the low byte. Each transport draws a random
     * incarnation, so a restarted replica's streams differ from its previous ones (but for a 1 in 65536 chance).
     */
    public static int sessionId(final int replicaId, final int incarnation)
    {
        return SESSION_ID_TAG | (incarnation & INCARNATION_MASK) << INCARNATION_SHIFT | replicaId;
    }

    /** The replica id a peer session id carries, or -1 if {@code sessionId} is not a peer session id. */
    public static int senderOf(final int sessionId)
    {
        return (sessionId & SESSION_ID_TAG_MASK) == SESSION_ID_TAG ? sessionId & (MAX_PEERS - 1) : -1;
    }

    public boolean allPeersConnected()
    {
        for (final ExclusivePublication publication : publications)
        {
            if (publication != null && !publication.isConnected())
            {
                return false;
            }
        }
        return subscription.imageCount() == publications.length - 1;
    }

    public long backPressureEvents()
    {
        return backPressureEvents;
    }

    /**
     * Messages dropped because their peer's held-back queue reached {@link #MAX_HELD_BYTES_PER_PEER}, or its emulated
     * delay queue its own bound.
     */
    public long droppedPeerUnreachable()
    {
        return droppedPeerUnreachable + delays.dropped();
    }

    /** Messages dropped because they were longer than the publication's maximum message length. */
    public long droppedOversize()
    {
        return droppedOversize;
    }

    public long messagesOut()
    {
        return messagesOut;
    }

    public MutableDirectBuffer buffer()
    {
        return sendBuffer;
    }

    public void send(final int toReplica, final int length)
    {
        if (delays.active() && delays.delayNs(toReplica) > 0)
        {
            delays.delay(toReplica, sendBuffer, length);
            return;
        }
        forward(toReplica, sendBuffer, length);
    }

    private void forward(final int toReplica, final DirectBuffer message, final int length)
    {
        final ExpandableRingBuffer held = overflow[toReplica];
        if (holdAll)
        {
            hold(held, message, length);
        }
        else if (!held.isEmpty() || !publish(publications[toReplica], message, 0, length))
        {
            // keep per-peer order: once something is held back, everything after it queues behind it
            hold(held, message, length);
            backPressureEvents++;
        }
    }

    private void hold(final ExpandableRingBuffer held, final DirectBuffer message, final int length)
    {
        if (!held.append(message, 0, length))
        {
            droppedPeerUnreachable++;
        }
    }

    private void releaseDelayed()
    {
        delays.now();
        for (int peer = 0; peer < publications.length; peer++)
        {
            if (peer != self)
            {
                retryingPeer = peer;
                delays.release(peer, releaseDue);
            }
        }
    }

    private boolean releaseIfDue(
        final MutableDirectBuffer buffer, final int offset, final int length, final int headOffset)
    {
        if (!delays.isDue(buffer, offset))
        {
            return false; // each peer's queue is in due order: nothing after this one is due either
        }
        final int messageOffset = offset + EmulatedDelays.HEADER_LENGTH;
        final int messageLength = length - EmulatedDelays.HEADER_LENGTH;
        releaseView.wrap(buffer, messageOffset, messageLength);
        forward(retryingPeer, releaseView, messageLength);
        return true;
    }

    public void sendToAll(final int length)
    {
        for (int peer = 0; peer < publications.length; peer++)
        {
            if (peer != self)
            {
                send(peer, length);
            }
        }
    }

    private boolean publish(final ExclusivePublication publication, final DirectBuffer buffer, final int offset,
        final int length)
    {
        if (length <= publication.maxPayloadLength())
        {
            long result = publication.tryClaim(length, claim);
            if (result == Publication.ADMIN_ACTION)
            {
                result = publication.tryClaim(length, claim); // the term rotated under us: try the next
            }
            if (result > 0)
            {
                claim.buffer().putBytes(claim.offset(), buffer, offset, length);
                claim.commit();
                messagesOut++;
                return true;
            }
            return false;
        }
        if (length > publication.maxMessageLength())
        {
            // Aeron refuses it (IllegalArgumentException) on every retry, and the peer's queue behind it would never
            // move again: drop and count it; the protocols recover a lost message, not a wedged link.
            droppedOversize++;
            return true;
        }
        long result = publication.offer(buffer, offset, length);
        if (result == Publication.ADMIN_ACTION)
        {
            result = publication.offer(buffer, offset, length);
        }
        if (result > 0)
        {
            messagesOut++;
            return true;
        }
        return false; // back pressured, not yet connected or admin action: the caller holds it back and retries
    }

    private boolean retry(final MutableDirectBuffer buffer, final int offset, final int length, final int headOffset)
    {
        return publish(publications[retryingPeer], buffer, offset, length);
    }

    private void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final int from = senderOf(header.sessionId());
        // a sender that is not a configured peer is handed on as such; the protocol counts and drops it
        protocol.onMessage(from >= 0 && from < publications.length ? from : -1, buffer, offset, length);
    }

    public void close()
    {
        CloseHelper.closeAll(subscription);
        for (final ExclusivePublication publication : publications)
        {
            CloseHelper.close(publication);
        }
    }
}
