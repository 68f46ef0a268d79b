package io.roundtable.client;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import io.roundtable.codecs.BooleanType;
import io.roundtable.codecs.ClientConnectEncoder;
import io.roundtable.codecs.ClientRequestEncoder;
import io.roundtable.codecs.ClientResponseDecoder;
import io.roundtable.codecs.MessageHeaderDecoder;
import io.roundtable.codecs.MessageHeaderEncoder;
import io.roundtable.codecs.ResponseStatus;
import io.roundtable.driver.Channels;
import io.roundtable.driver.StreamIds;
import io.roundtable.runtime.ClientIds;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A client of a Roundtable cluster: single-threaded, asynchronous, allocation-free once warm. {@link #offer} sends a
 * request and returns its correlation id at once (or {@link #BACK_PRESSURED} when {@code maxOutstanding} requests
 * are in flight); {@link #poll} delivers answers to the {@link ResponseListener} and drives retries. Call poll from
 * the same thread, regularly.
 * <p>
 * Each request in flight occupies a lane with its own clientId ({@link ClientIds}), so that a request re-sent after
 * a timeout, possibly to another replica, is applied at most once and answered from the de-duplication cache. On a
 * timeout the client moves to the next replica and re-sends everything in flight there.
 */
public final class RoundtableClient implements AutoCloseable
{
    /** {@link #offer} result: every lane is busy; poll and try again. */
    public static final long BACK_PRESSURED = -1;

    private static final int FRAGMENT_LIMIT = 64;

    private final ClientContext context;
    private final NanoClock clock;
    private final long session;
    private final ExclusivePublication[] publications;
    private final Subscription responses;
    private final String responseChannel;
    private final FragmentAssembler assembler = new FragmentAssembler(this::onFragment);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ClientRequestEncoder requestEncoder = new ClientRequestEncoder();
    private final ClientConnectEncoder connectEncoder = new ClientConnectEncoder();
    private final ClientResponseDecoder responseDecoder = new ClientResponseDecoder();
    private final UnsafeBuffer resultView = new UnsafeBuffer(0, 0);
    private final ExpandableArrayBuffer connectBuffer = new ExpandableArrayBuffer(256);
    private final ResponseListener listener;
    private final long requestTimeoutNs;

    private final long[] laneRequestNumber;
    private final long[] laneCorrelationId;
    private final long[] laneDeadlineNs;
    private final boolean[] laneBusy;
    private final boolean[] laneSent;
    private final ExpandableArrayBuffer[] laneRequest;
    private final int[] laneRequestLength;
    private final int[] freeLanes;
    private int freeCount;
    private int unsentCount;

    private int replica;
    private boolean connected;
    private long connectStartedNs;
    private long lastConnectSentNs;
    private long nextTimeoutCheckNs;
    private long nextCorrelationId;
    private long timeouts;
    private long failovers;

    private long awaitedCorrelationId = -1;
    private MutableDirectBuffer awaitedResult;
    private int awaitedLength = -1;

    public RoundtableClient(final ClientContext context)
    {
        this.context = context.conclude();
        final Aeron aeron = context.aeron();
        this.clock = context.nanoClock();
        this.session = context.session();
        this.listener = context.listener();
        this.requestTimeoutNs = context.requestTimeoutNs();
        final String[] endpoints = context.replicaEndpoints();
        this.publications = new ExclusivePublication[endpoints.length];
        this.responses = aeron.addSubscription(Channels.udp(context.responseEndpoint()), StreamIds.CLIENT_EGRESS);
        this.responseChannel = Channels.udp(resolvedEndpoint(responses));
        for (int i = 0; i < endpoints.length; i++)
        {
            publications[i] = aeron.addExclusivePublication(Channels.udp(endpoints[i]), StreamIds.CLIENT_INGRESS);
        }

        final int lanes = context.maxOutstanding();
        laneRequestNumber = new long[lanes];
        laneCorrelationId = new long[lanes];
        laneDeadlineNs = new long[lanes];
        laneBusy = new boolean[lanes];
        laneSent = new boolean[lanes];
        laneRequest = new ExpandableArrayBuffer[lanes];
        laneRequestLength = new int[lanes];
        freeLanes = new int[lanes];
        for (int lane = 0; lane < lanes; lane++)
        {
            laneRequest[lane] = new ExpandableArrayBuffer(256);
            freeLanes[freeCount++] = lanes - 1 - lane; // lane 0 is handed out first
        }
        replica = context.preferredReplica();
        connectStartedNs = clock.nanoTime();
        lastConnectSentNs = connectStartedNs - context.connectRetryNs();
    }

    /**
     * Sends one command touching {@code keys} (what conflicts with what) with an opaque payload for the state
     * machine.
     *
     * @return the request's correlation id (positive, increasing; its low {@link ClientIds#LANE_BITS} bits are the
     * lane, see {@link #laneOf}), or {@link #BACK_PRESSURED}.
     */
    public long offer(
        final boolean write, final long[] keys, final int keyCount,
        final DirectBuffer payload, final int payloadOffset, final int payloadLength)
    {
        if (freeCount == 0)
        {
            return BACK_PRESSURED;
        }
        final int lane = freeLanes[--freeCount];
        final long requestNumber = ++laneRequestNumber[lane];
        requestEncoder.wrapAndApplyHeader(laneRequest[lane], 0, headerEncoder)
            .clientId(ClientIds.clientId(session, lane))
            .requestNumber(requestNumber)
            .write(write ? BooleanType.TRUE : BooleanType.FALSE);
        final ClientRequestEncoder.KeysEncoder keysEncoder = requestEncoder.keysCount(keyCount);
        for (int i = 0; i < keyCount; i++)
        {
            keysEncoder.next().key(keys[i]);
        }
        requestEncoder.putPayload(payload, payloadOffset, payloadLength);
        laneRequestLength[lane] = MessageHeaderEncoder.ENCODED_LENGTH + requestEncoder.encodedLength();

        final long correlationId = (++nextCorrelationId << ClientIds.LANE_BITS) | lane;
        laneCorrelationId[lane] = correlationId;
        laneDeadlineNs[lane] = clock.nanoTime() + requestTimeoutNs;
        laneBusy[lane] = true;
        laneSent[lane] = false;
        unsentCount++;
        if (connected)
        {
            send(lane);
        }
        return correlationId;
    }

    /** Reads answers, (re)connects, re-sends what back pressure held and fails over on timeouts. */
    public int poll()
    {
        int work = responses.poll(assembler, FRAGMENT_LIMIT);
        final long nowNs = clock.nanoTime();
        if (!connected)
        {
            if (nowNs - connectStartedNs > requestTimeoutNs)
            {
                failOver(nowNs);
            }
            if (nowNs - lastConnectSentNs >= context.connectRetryNs())
            {
                lastConnectSentNs = nowNs;
                sendConnect();
                work++;
            }
        }
        else if (unsentCount > 0)
        {
            for (int lane = 0; lane < laneBusy.length && unsentCount > 0; lane++)
            {
                if (laneBusy[lane] && !laneSent[lane])
                {
                    work += send(lane) ? 1 : 0;
                }
            }
        }
        if (nowNs - nextTimeoutCheckNs >= 0)
        {
            nextTimeoutCheckNs = nowNs + requestTimeoutNs / 10;
            work += checkTimeouts(nowNs);
        }
        return work;
    }

    /**
     * Sends one command and waits for its answer, polling with {@code idle} meanwhile: the blocking convenience.
     *
     * @return the length of the result copied to {@code result} at offset 0.
     * @throws IllegalStateException if no answer came within {@code timeoutNs} (retries included).
     */
    public int execute(
        final boolean write, final long[] keys, final int keyCount,
        final DirectBuffer payload, final int payloadOffset, final int payloadLength,
        final MutableDirectBuffer result, final long timeoutNs, final IdleStrategy idle)
    {
        final long deadlineNs = clock.nanoTime() + timeoutNs;
        long correlationId;
        while ((correlationId = offer(write, keys, keyCount, payload, payloadOffset, payloadLength)) < 0)
        {
            idle.idle(poll());
            checkDeadline(deadlineNs);
        }
        awaitedCorrelationId = correlationId;
        awaitedResult = result;
        awaitedLength = -1;
        try
        {
            while (awaitedLength < 0)
            {
                idle.idle(poll());
                checkDeadline(deadlineNs);
            }
            return awaitedLength;
        }
        finally
        {
            awaitedCorrelationId = -1;
            awaitedResult = null;
        }
    }

    /**
     * The lane the next {@link #offer} will use, or -1 if none is free. Lanes are reused only after their answer, so
     * a workload can key per-lane state on it (a closed-loop client's private key, say).
     */
    public int nextLane()
    {
        return freeCount > 0 ? freeLanes[freeCount - 1] : -1;
    }

    /** The lane a correlation id was sent on: per-request state can live in arrays indexed by lane. */
    public static int laneOf(final long correlationId)
    {
        return (int)(correlationId & (ClientIds.MAX_LANES - 1));
    }

    public boolean isConnected()
    {
        return connected;
    }

    /** The replica this client currently sends to. */
    public int replica()
    {
        return replica;
    }

    public int outstanding()
    {
        return laneBusy.length - freeCount;
    }

    /** Requests whose answer did not come in time (each causing a re-send to the next replica). */
    public long timeouts()
    {
        return timeouts;
    }

    public long failovers()
    {
        return failovers;
    }

    public long session()
    {
        return session;
    }

    public void close()
    {
        CloseHelper.closeAll(publications);
        CloseHelper.close(responses);
    }

    private void checkDeadline(final long deadlineNs)
    {
        if (clock.nanoTime() - deadlineNs > 0)
        {
            throw new IllegalStateException("no answer from the cluster in time (replica " + replica +
                (connected ? ", connected" : ", not connected") + ", " + timeouts + " timeouts)");
        }
    }

    private boolean send(final int lane)
    {
        if (publications[replica].offer(laneRequest[lane], 0, laneRequestLength[lane]) > 0)
        {
            laneSent[lane] = true;
            unsentCount--;
            return true;
        }
        return false; // back pressure or replica unreachable: retried by poll, or failed over by the timeout
    }

    private void sendConnect()
    {
        connectEncoder.wrapAndApplyHeader(connectBuffer, 0, headerEncoder)
            .clientSession(session)
            .responseStreamId(StreamIds.CLIENT_EGRESS)
            .responseChannel(responseChannel);
        publications[replica].offer(
            connectBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + connectEncoder.encodedLength());
    }

    private int checkTimeouts(final long nowNs)
    {
        boolean timedOut = false;
        for (int lane = 0; lane < laneBusy.length; lane++)
        {
            if (laneBusy[lane] && nowNs - laneDeadlineNs[lane] > 0)
            {
                timeouts++;
                timedOut = true;
                laneDeadlineNs[lane] = nowNs + requestTimeoutNs;
            }
        }
        if (timedOut)
        {
            failOver(nowNs);
            return 1;
        }
        return 0;
    }

    /** Moves to the next replica; everything in flight is re-sent there once it acknowledges the connection. */
    private void failOver(final long nowNs)
    {
        failovers++;
        replica = (replica + 1) % publications.length;
        connected = false;
        connectStartedNs = nowNs;
        lastConnectSentNs = nowNs - context.connectRetryNs();
        unsentCount = 0;
        for (int lane = 0; lane < laneBusy.length; lane++)
        {
            laneSent[lane] = false;
            if (laneBusy[lane])
            {
                unsentCount++;
            }
        }
    }

    private void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return;
        }
        headerDecoder.wrap(buffer, offset);
        if (headerDecoder.schemaId() != ClientResponseDecoder.SCHEMA_ID ||
            headerDecoder.templateId() != ClientResponseDecoder.TEMPLATE_ID)
        {
            return;
        }
        responseDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
        final long clientId = responseDecoder.clientId();
        if (ClientIds.session(clientId) != session || responseDecoder.status() != ResponseStatus.OK)
        {
            return;
        }
        final int lane = ClientIds.lane(clientId);
        final long requestNumber = responseDecoder.requestNumber();
        if (requestNumber == 0)
        {
            if (!connected && responseDecoder.leaderHint() == replica)
            {
                connected = true;
            }
            return;
        }
        if (lane >= laneBusy.length || !laneBusy[lane] || laneRequestNumber[lane] != requestNumber)
        {
            return; // a late or duplicate answer, e.g. from the replica before a failover
        }
        responseDecoder.wrapResult(resultView);
        laneBusy[lane] = false;
        if (!laneSent[lane])
        {
            unsentCount--;
        }
        freeLanes[freeCount++] = lane;
        final long correlationId = laneCorrelationId[lane];
        if (correlationId == awaitedCorrelationId)
        {
            awaitedResult.putBytes(0, resultView, 0, resultView.capacity());
            awaitedLength = resultView.capacity();
        }
        listener.onResponse(correlationId, resultView, 0, resultView.capacity());
    }

    private static String resolvedEndpoint(final Subscription subscription)
    {
        final long deadlineMs = System.currentTimeMillis() + 5_000;
        String endpoint;
        while (null == (endpoint = subscription.resolvedEndpoint()))
        {
            if (System.currentTimeMillis() > deadlineMs)
            {
                throw new IllegalStateException("the response subscription " + subscription.channel() +
                    " did not bind within 5 s");
            }
            Thread.yield();
        }
        return endpoint;
    }
}
