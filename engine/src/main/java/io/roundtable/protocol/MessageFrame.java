package io.roundtable.protocol;

import io.roundtable.codecs.MessageHeaderDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.IntUnaryOperator;

/**
 * The checks a message adapter makes before it decodes any body: the fragment holds a header of our schema at a
 * version we can read, and a root block at least as long as the message type needs. The message is then read through
 * {@link #view()}, a window of exactly the fragment: an Aeron fragment is a window into a whole term buffer, so a
 * group count or var-data length pointing past it must hit Agrona's bounds check rather than read the next message.
 * One per adapter, reused for every message.
 */
public final class MessageFrame
{
    /** Where a message body starts in {@link #view()}. */
    public static final int BODY_OFFSET = MessageHeaderDecoder.ENCODED_LENGTH;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final IntUnaryOperator rootBlockLength;
    private int templateId;
    private int blockLength;
    private int version;

    /**
     * @param rootBlockLength the root block length a template id needs (its decoder's {@code BLOCK_LENGTH}); a
     *                        method reference made once per adapter, not per message.
     */
    public MessageFrame(final IntUnaryOperator rootBlockLength)
    {
        this.rootBlockLength = rootBlockLength;
    }

    /**
     * @return true if the fragment passes the frame checks; either way {@link #templateId()} is what the header said
     * (-1 if the fragment is shorter than a header), for counting the drop.
     */
    public boolean wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            templateId = -1;
            return false;
        }
        view.wrap(buffer, offset, length);
        header.wrap(view, 0);
        templateId = header.templateId();
        blockLength = header.blockLength();
        version = header.version();
        return header.schemaId() == MessageHeaderDecoder.SCHEMA_ID && version <= MessageHeaderDecoder.SCHEMA_VERSION &&
            blockLength >= rootBlockLength.applyAsInt(templateId) && length >= BODY_OFFSET + blockLength;
    }

    public UnsafeBuffer view()
    {
        return view;
    }

    public int templateId()
    {
        return templateId;
    }

    public int blockLength()
    {
        return blockLength;
    }

    public int version()
    {
        return version;
    }
}
