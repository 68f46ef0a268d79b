package io.roundtable.runtime;

import io.aeron.ControlledFragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler.Action;
import io.aeron.logbuffer.Header;
import io.roundtable.codecs.BooleanType;
import io.roundtable.codecs.ClientConnectDecoder;
import io.roundtable.codecs.ClientRequestDecoder;
import io.roundtable.codecs.MessageHeaderDecoder;
import io.roundtable.command.CommandBatchWriter;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The client side of a replica's input (Aeron's adapter half): polls {@code ClientRequest} and
 * {@code ClientConnect} messages from the client ingress subscription, validates them within their own bytes, and
 * batches the requests of one duty cycle straight into one {@code CommandBatch} (adaptive batching without a timer:
 * the busier the replica, the more each instance carries). A full batch stops the poll (ABORT) and leaves the rest
 * for the next cycle. Malformed input is counted and dropped.
 */
final class ClientIngress implements AutoCloseable
{
    /** Most keys one client command may touch. */
    static final int MAX_KEYS_PER_COMMAND = 64;

    private final Subscription subscription;
    private final ClientSessions sessions;
    private final int maxBatchCommands;
    private final int maxBatchBytes;
    private final ControlledFragmentAssembler assembler = new ControlledFragmentAssembler(this::onFragment);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final ClientRequestDecoder request = new ClientRequestDecoder();
    private final ClientConnectDecoder connect = new ClientConnectDecoder();
    private final UnsafeBuffer boundedView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer payloadView = new UnsafeBuffer(0, 0);
    private final long[] keys = new long[MAX_KEYS_PER_COMMAND];
    private final CommandBatchWriter writer = new CommandBatchWriter();
    private final ExpandableArrayBuffer batch;
    private long nowNs;
    private long malformed;

    ClientIngress(
        final Subscription subscription, final ClientSessions sessions, final int maxBatchCommands,
        final int maxBatchBytes)
    {
        this.subscription = subscription;
        this.sessions = sessions;
        this.maxBatchCommands = maxBatchCommands;
        this.maxBatchBytes = maxBatchBytes;
        this.batch = new ExpandableArrayBuffer(maxBatchBytes + 4096);
    }

    /** Polls client messages into a new batch; returns the number of fragments read. */
    int poll(final long nowNs)
    {
        this.nowNs = nowNs;
        writer.begin(batch, 0, maxBatchCommands);
        return subscription.controlledPoll(assembler, maxBatchCommands);
    }

    /** Commands in the batch of the last {@link #poll}. */
    int batchedCommands()
    {
        return writer.addedCount();
    }

    /** Seals the batch of the last poll; returns its length in {@link #batchBuffer()}. */
    int endBatch()
    {
        return writer.end();
    }

    MutableDirectBuffer batchBuffer()
    {
        return batch;
    }

    long malformed()
    {
        return malformed;
    }

    boolean isConnected()
    {
        return subscription.isConnected();
    }

    private Action onFragment(final DirectBuffer buffer, final int offset, final int length, final Header fragment)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            malformed++;
            return Action.CONTINUE;
        }
        header.wrap(buffer, offset);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID ||
            header.version() > ClientRequestDecoder.SCHEMA_VERSION)
        {
            malformed++;
            return Action.CONTINUE;
        }
        boundedView.wrap(buffer, offset, length);
        try
        {
            switch (header.templateId())
            {
                case ClientRequestDecoder.TEMPLATE_ID:
                    return onRequest(length);
                case ClientConnectDecoder.TEMPLATE_ID:
                    onConnect(length);
                    return Action.CONTINUE;
                default:
                    malformed++;
                    return Action.CONTINUE;
            }
        }
        catch (final IndexOutOfBoundsException ex)
        {
            malformed++; // a group or var-data length pointing past the message: truncated or forged
            return Action.CONTINUE;
        }
    }

    private Action onRequest(final int length)
    {
        if (header.blockLength() < ClientRequestDecoder.BLOCK_LENGTH)
        {
            malformed++;
            return Action.CONTINUE;
        }
        if (writer.addedCount() >= maxBatchCommands ||
            (writer.addedCount() > 0 && writer.length() + length > maxBatchBytes))
        {
            return Action.ABORT; // the batch is full: this request opens the next one
        }
        request.wrapAndApplyHeader(boundedView, 0, header);
        final long clientId = request.clientId();
        final long requestNumber = request.requestNumber();
        final short write = request.writeRaw(); // raw: the typed accessor throws on an undefined value
        final ClientRequestDecoder.KeysDecoder keysDecoder = request.keys();
        final int keyCount = keysDecoder.count();
        if (keyCount > MAX_KEYS_PER_COMMAND || clientId <= 0 ||
            (write != BooleanType.TRUE.value() && write != BooleanType.FALSE.value()))
        {
            malformed++;
            return Action.CONTINUE;
        }
        for (int i = 0; i < keyCount; i++)
        {
            keys[i] = keysDecoder.next().key();
        }
        request.wrapPayload(payloadView);
        if (request.limit() > length)
        {
            malformed++;
            return Action.CONTINUE;
        }
        writer.add(clientId, requestNumber, write == BooleanType.TRUE.value(), keys, keyCount, payloadView, 0,
            payloadView.capacity());
        sessions.onRequest(ClientIds.session(clientId), nowNs);
        return Action.CONTINUE;
    }

    private void onConnect(final int length)
    {
        if (header.blockLength() < ClientConnectDecoder.BLOCK_LENGTH)
        {
            malformed++;
            return;
        }
        connect.wrapAndApplyHeader(boundedView, 0, header);
        final long session = connect.clientSession();
        final int streamId = connect.responseStreamId();
        // wrapped first, so a length past the message throws here: responseChannel() would allocate it (up to 4 GiB)
        connect.wrapResponseChannel(payloadView);
        if (connect.limit() > length || session <= 0 || session >= ClientIds.MAX_SESSION || payloadView.capacity() == 0)
        {
            malformed++;
            return;
        }
        // allocates, once per connect attempt: not the hot path
        final String channel = payloadView.getStringWithoutLengthAscii(0, payloadView.capacity());
        sessions.onConnect(session, channel, streamId, nowNs);
    }

    public void close()
    {
        subscription.close();
    }
}
