package io.roundtable.runtime;

import io.roundtable.codecs.BooleanType;
import io.roundtable.codecs.ClientConnectEncoder;
import io.roundtable.codecs.ClientRequestEncoder;
import io.roundtable.codecs.KvCommandEncoder;
import io.roundtable.codecs.MessageHeaderEncoder;
import io.roundtable.statemachine.KeyValueCommands;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.Random;

/**
 * Well-formed client messages with random contents, ClientRequest and ClientConnect, encoded with the generated
 * encoders at offset 0 of the caller's buffer; {@link #layout} tells {@link MalformedMessages} where to break them.
 */
final class RandomClientMessages
{
    /** ClientRequest, ClientConnect. */
    static final int TYPES = 2;

    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;
    private static final byte[] VALUE = new byte[8];

    final MessageLayout layout = new MessageLayout();
    private final Random random;
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final ClientRequestEncoder request = new ClientRequestEncoder();
    private final ClientConnectEncoder connect = new ClientConnectEncoder();
    private final KeyValueCommands kv = new KeyValueCommands();
    private final ExpandableArrayBuffer payload = new ExpandableArrayBuffer(4096);

    RandomClientMessages(final Random random)
    {
        this.random = random;
    }

    /** A well-formed client message of {@link #TYPES} {@code type}; returns its length. */
    int message(final int type, final MutableDirectBuffer buffer)
    {
        layout.clear();
        final long session = 1 + random.nextInt(1 << 30);
        if (type == 0)
        {
            request.wrapAndApplyHeader(buffer, 0, header).clientId(ClientIds.clientId(session, random.nextInt(8)))
                .requestNumber(1 + random.nextInt(1000)).write(BooleanType.TRUE);
            layout.group(request.limit(), ClientRequestEncoder.KeysEncoder.sbeBlockLength());
            final int keyCount = 1 + random.nextInt(8);
            final ClientRequestEncoder.KeysEncoder group = request.keysCount(keyCount);
            for (int i = 0; i < keyCount; i++)
            {
                group.next().key(random.nextLong());
            }
            layout.varDataOffset = request.limit();
            layout.enumAt(HEADER + ClientRequestEncoder.writeEncodingOffset(), MessageLayout.BOOLEAN_VALUES);
            return request.putPayload(payload, 0, RandomBatches.randomBytes(random, payload)).limit();
        }
        connect.wrapAndApplyHeader(buffer, 0, header).clientSession(session).responseStreamId(1003);
        layout.varDataOffset = connect.limit();
        return connect.responseChannel("aeron:udp?endpoint=localhost:" + (1024 + random.nextInt(60_000))).limit();
    }

    /** A well-formed ClientRequest whose payload is a KvCommand with an undefined operation (neither 1-3 nor 255). */
    int requestWithUndefinedOperation(final MutableDirectBuffer buffer, final long clientId)
    {
        final int length = kv.put(payload, 0, random.nextLong(), VALUE);
        payload.putByte(HEADER + KvCommandEncoder.operationEncodingOffset(), (byte)(4 + random.nextInt(251)));
        request.wrapAndApplyHeader(buffer, 0, header).clientId(clientId).requestNumber(1).write(BooleanType.TRUE)
            .keysCount(1).next().key(random.nextLong());
        return request.putPayload(payload, 0, length).limit();
    }
}
