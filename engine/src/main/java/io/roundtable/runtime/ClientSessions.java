package io.roundtable.runtime;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.logbuffer.BufferClaim;
import io.roundtable.codecs.ClientResponseEncoder;
import io.roundtable.codecs.MessageHeaderEncoder;
import io.roundtable.codecs.ResponseStatus;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.Iterator;

/**
 * The clients this replica answers: one exclusive publication per client session, to the response channel the
 * client named in its {@code ClientConnect}. Publications are added asynchronously so a connecting client never
 * stalls the duty cycle on a driver round trip. A replica answers every command it executes whose session is
 * connected here; a client that moved to another replica (after a timeout) just ignores a late answer from this one.
 * An answer refused by back pressure is dropped and counted: the client's retry is answered from the
 * de-duplication cache.
 */
final class ClientSessions implements AutoCloseable
{
    private static final class Session
    {
        final long id;
        final String channel;
        final int streamId;
        long registrationId;
        ExclusivePublication publication;
        long lastHeardNs;
        boolean acknowledged;

        Session(final long id, final String channel, final int streamId)
        {
            this.id = id;
            this.channel = channel;
            this.streamId = streamId;
        }
    }

    private final Aeron aeron;
    private final int replicaId;
    private final long idleTimeoutNs;
    private final Long2ObjectHashMap<Session> sessions = new Long2ObjectHashMap<>();
    private final BufferClaim claim = new BufferClaim();
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final ClientResponseEncoder response = new ClientResponseEncoder();
    private final ExpandableArrayBuffer offerBuffer = new ExpandableArrayBuffer(1024);
    private final HeldResponses heldResponses = new HeldResponses();
    private final HeldResponses.Sender releaser = this::sendNow;
    private boolean holdForFlush;
    private long responsesDropped;
    private long rejectedConnects;

    ClientSessions(final Aeron aeron, final int replicaId, final long idleTimeoutNs)
    {
        this.aeron = aeron;
        this.replicaId = replicaId;
        this.idleTimeoutNs = idleTimeoutNs;
    }

    /** A (re-)sent {@code ClientConnect}: adds the session, or replaces it if its response channel changed. */
    void onConnect(final long sessionId, final String channel, final int streamId, final long nowNs)
    {
        Session session = sessions.get(sessionId);
        if (null != session && session.streamId == streamId && session.channel.equals(channel))
        {
            session.lastHeardNs = nowNs;
            session.acknowledged = false; // the client has not heard our ack (yet): send it again
            return;
        }
        if (null != session)
        {
            remove(session);
        }
        session = new Session(sessionId, channel, streamId);
        try
        {
            session.registrationId = aeron.asyncAddExclusivePublication(channel, streamId);
        }
        catch (final RuntimeException ex)
        {
            rejectedConnects++; // an unparseable channel from a client: its problem, not the replica's
            return;
        }
        session.lastHeardNs = nowNs;
        sessions.put(sessionId, session);
    }

    void onRequest(final long sessionId, final long nowNs)
    {
        final Session session = sessions.get(sessionId);
        if (null != session)
        {
            session.lastHeardNs = nowNs;
        }
    }

    /**
     * Resolves publications still being added and drops sessions not heard from for the idle timeout whose
     * publication has no subscriber any more. Called from the timer step.
     */
    int onTick(final long nowNs)
    {
        int work = 0;
        for (final Iterator<Session> it = sessions.values().iterator(); it.hasNext(); )
        {
            final Session session = it.next();
            if (null == session.publication)
            {
                try
                {
                    session.publication = aeron.getExclusivePublication(session.registrationId);
                }
                catch (final RuntimeException ex)
                {
                    rejectedConnects++; // the driver refused the channel
                    it.remove();
                    continue;
                }
            }
            if (!session.acknowledged && null != session.publication && session.publication.isConnected())
            {
                // request number 0 on lane 0: "connected", the answer a connecting client waits for
                session.acknowledged = send(
                    session.publication, ClientIds.clientId(session.id, 0), 0, offerBuffer, 0, 0);
                work++;
            }
            if (nowNs - session.lastHeardNs > idleTimeoutNs &&
                (null == session.publication || !session.publication.isConnected()))
            {
                it.remove();
                close(session);
                work++;
            }
        }
        return work;
    }

    /**
     * Answers request {@code requestNumber} of {@code clientId} if its session is connected here: now, or at the next
     * {@link #releaseHeld()} while answers are held for a journal flush.
     */
    void respond(final long clientId, final long requestNumber, final DirectBuffer result, final int offset,
        final int length)
    {
        if (holdForFlush)
        {
            heldResponses.hold(clientId, requestNumber, result, offset, length);
        }
        else
        {
            sendNow(clientId, requestNumber, result, offset, length);
        }
    }

    /**
     * With {@code hold} set, answers wait until {@link #releaseHeld()}: for a journal that must be flushed before
     * anything revealing its latest appends leaves (see {@link HeldResponses}).
     */
    void holdUntilReleased(final boolean hold)
    {
        this.holdForFlush = hold;
    }

    /** Sends the answers held since the last release, in order; call it after the journal flush. */
    int releaseHeld()
    {
        return heldResponses.size() == 0 ? 0 : heldResponses.release(releaser);
    }

    private void sendNow(final long clientId, final long requestNumber, final DirectBuffer result, final int offset,
        final int length)
    {
        final Session session = sessions.get(ClientIds.session(clientId));
        if (null == session || null == session.publication)
        {
            return;
        }
        if (!send(session.publication, clientId, requestNumber, result, offset, length))
        {
            responsesDropped++;
        }
    }

    private boolean send(
        final ExclusivePublication publication, final long clientId, final long requestNumber,
        final DirectBuffer result, final int offset, final int length)
    {
        final int messageLength = MessageHeaderEncoder.ENCODED_LENGTH + ClientResponseEncoder.BLOCK_LENGTH +
            ClientResponseEncoder.resultHeaderLength() + length;
        if (messageLength <= publication.maxPayloadLength())
        {
            long position = publication.tryClaim(messageLength, claim);
            if (position == Publication.ADMIN_ACTION)
            {
                position = publication.tryClaim(messageLength, claim); // the term rotated under us: try the next
            }
            if (position > 0)
            {
                encode(claim.buffer(), claim.offset(), clientId, requestNumber, result, offset, length);
                claim.commit();
                return true;
            }
            return false;
        }
        encode(offerBuffer, 0, clientId, requestNumber, result, offset, length);
        long position = publication.offer(offerBuffer, 0, messageLength);
        if (position == Publication.ADMIN_ACTION)
        {
            position = publication.offer(offerBuffer, 0, messageLength);
        }
        return position > 0;
    }

    private void encode(
        final MutableDirectBuffer buffer, final int at, final long clientId, final long requestNumber,
        final DirectBuffer result, final int offset, final int length)
    {
        response.wrapAndApplyHeader(buffer, at, header)
            .clientId(clientId)
            .requestNumber(requestNumber)
            .status(ResponseStatus.OK)
            .leaderHint(replicaId) // who answers: a connecting client ignores acks from a replica it has left
            .putResult(result, offset, length);
    }

    int size()
    {
        return sessions.size();
    }

    long responsesDropped()
    {
        return responsesDropped;
    }

    long rejectedConnects()
    {
        return rejectedConnects;
    }

    private void remove(final Session session)
    {
        sessions.remove(session.id);
        close(session);
    }

    private void close(final Session session)
    {
        if (null != session.publication)
        {
            session.publication.close();
        }
        else
        {
            aeron.asyncRemovePublication(session.registrationId);
        }
    }

    public void close()
    {
        for (final Session session : sessions.values())
        {
            CloseHelper.quietClose(session.publication);
        }
        sessions.clear();
    }
}
