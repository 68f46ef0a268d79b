package io.roundtable.codecs;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The check a transport adapter applies to every fragment before it dispatches on templateId, written here as the
 * executable reference for the runtime (it belongs next to the adapters once they exist). Allocation-free: one
 * preallocated decoder per template and one reusable view.
 * <p>
 * The generated {@code wrapAndApplyHeader} only compares templateId; it does not look at schemaId, version or
 * length, and a decoder reads wherever its limit points. An Aeron fragment is a window into a whole term buffer, so
 * a short or foreign message would be decoded from whatever bytes follow it. Hence, in order:
 * <ol>
 *     <li>the fragment holds a whole message header;</li>
 *     <li>schemaId is ours: another schema on the same stream is a wiring bug, not a message;</li>
 *     <li>templateId is one we know;</li>
 *     <li>blockLength is at least our root block: every version so far sends at least version 0's fields. A larger
 *     block or a higher version is accepted: decoders wrap with the acting block length and version, so fields
 *     added by a newer sender are skipped (SBE's forward compatibility);</li>
 *     <li>the fragment holds the whole root block;</li>
 *     <li>the groups and var-data fit: the decoder walks the message ({@code sbeDecodedLength}) over a view of
 *     exactly this fragment, so a group count or var-data length that points past the end reads outside the view and
 *     Agrona's bounds check throws instead of reading the neighbouring message. This relies on bounds checks being
 *     on (never run with {@code -Dagrona.disable.bounds.checks=true});</li>
 *     <li>for our own version the message fills the fragment exactly (Aeron fragment lengths are exact); a newer
 *     version may append groups or var-data we do not know, so trailing bytes are only accepted from it.</li>
 * </ol>
 * Enum fields are not checked here: an unknown value makes the typed accessor ({@code status()}) throw, so handlers
 * that must survive a newer sender read the {@code ...Raw()} accessor instead.
 */
final class FrameCheck
{
    enum Verdict
    {
        OK,
        TOO_SHORT_FOR_HEADER,
        FOREIGN_SCHEMA,
        UNKNOWN_TEMPLATE,
        BLOCK_TOO_SHORT,
        TRUNCATED_BLOCK,
        TRUNCATED_BODY,
        TRAILING_BYTES
    }

    private static final int HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;

    private final UnsafeBuffer view = new UnsafeBuffer();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final CommandBatchDecoder commandBatch = new CommandBatchDecoder();
    private final PreAcceptDecoder preAccept = new PreAcceptDecoder();
    private final PreAcceptOkDecoder preAcceptOk = new PreAcceptOkDecoder();
    private final AcceptDecoder accept = new AcceptDecoder();
    private final AcceptOkDecoder acceptOk = new AcceptOkDecoder();
    private final CommitDecoder commit = new CommitDecoder();
    private final PrepareDecoder prepare = new PrepareDecoder();
    private final PrepareOkDecoder prepareOk = new PrepareOkDecoder();
    private final TryPreAcceptDecoder tryPreAccept = new TryPreAcceptDecoder();
    private final TryPreAcceptReplyDecoder tryPreAcceptReply = new TryPreAcceptReplyDecoder();
    private final NackDecoder nack = new NackDecoder();
    private final ClientRequestDecoder clientRequest = new ClientRequestDecoder();
    private final ClientResponseDecoder clientResponse = new ClientResponseDecoder();
    private final ProgressDecoder progress = new ProgressDecoder();
    private final InstanceRecordDecoder instanceRecord = new InstanceRecordDecoder();

    Verdict check(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < HEADER_LENGTH)
        {
            return Verdict.TOO_SHORT_FOR_HEADER;
        }

        view.wrap(buffer, offset, length);
        header.wrap(view, 0);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            return Verdict.FOREIGN_SCHEMA;
        }

        final int templateId = header.templateId();
        final int blockLength = header.blockLength();
        final int version = header.version();
        final int minimumBlockLength = rootBlockLength(templateId);
        if (minimumBlockLength < 0)
        {
            return Verdict.UNKNOWN_TEMPLATE;
        }
        if (blockLength < minimumBlockLength)
        {
            return Verdict.BLOCK_TOO_SHORT;
        }
        if (length < HEADER_LENGTH + blockLength)
        {
            return Verdict.TRUNCATED_BLOCK;
        }

        final long decodedLength;
        try
        {
            decodedLength = HEADER_LENGTH + (long)bodyLength(templateId, blockLength, version);
        }
        catch (final IndexOutOfBoundsException ex)
        {
            return Verdict.TRUNCATED_BODY;
        }

        // A var-data length needs no read past its own header to move the limit, so a cut inside the bytes it
        // announces shows up as a decoded length beyond the fragment, not as a bounds violation.
        // A uint32 var-data length of 2^31 or more reads back negative and moves the limit backwards.
        if (decodedLength > length || decodedLength < HEADER_LENGTH + blockLength)
        {
            return Verdict.TRUNCATED_BODY;
        }
        if (decodedLength < length && version <= MessageHeaderDecoder.SCHEMA_VERSION)
        {
            return Verdict.TRAILING_BYTES;
        }

        return Verdict.OK;
    }

    private static int rootBlockLength(final int templateId)
    {
        switch (templateId)
        {
            case CommandBatchDecoder.TEMPLATE_ID: return CommandBatchDecoder.BLOCK_LENGTH;
            case PreAcceptDecoder.TEMPLATE_ID: return PreAcceptDecoder.BLOCK_LENGTH;
            case PreAcceptOkDecoder.TEMPLATE_ID: return PreAcceptOkDecoder.BLOCK_LENGTH;
            case AcceptDecoder.TEMPLATE_ID: return AcceptDecoder.BLOCK_LENGTH;
            case AcceptOkDecoder.TEMPLATE_ID: return AcceptOkDecoder.BLOCK_LENGTH;
            case CommitDecoder.TEMPLATE_ID: return CommitDecoder.BLOCK_LENGTH;
            case PrepareDecoder.TEMPLATE_ID: return PrepareDecoder.BLOCK_LENGTH;
            case PrepareOkDecoder.TEMPLATE_ID: return PrepareOkDecoder.BLOCK_LENGTH;
            case TryPreAcceptDecoder.TEMPLATE_ID: return TryPreAcceptDecoder.BLOCK_LENGTH;
            case TryPreAcceptReplyDecoder.TEMPLATE_ID: return TryPreAcceptReplyDecoder.BLOCK_LENGTH;
            case NackDecoder.TEMPLATE_ID: return NackDecoder.BLOCK_LENGTH;
            case ClientRequestDecoder.TEMPLATE_ID: return ClientRequestDecoder.BLOCK_LENGTH;
            case ClientResponseDecoder.TEMPLATE_ID: return ClientResponseDecoder.BLOCK_LENGTH;
            case ProgressDecoder.TEMPLATE_ID: return ProgressDecoder.BLOCK_LENGTH;
            case InstanceRecordDecoder.TEMPLATE_ID: return InstanceRecordDecoder.BLOCK_LENGTH;
            default: return -1;
        }
    }

    private int bodyLength(final int templateId, final int blockLength, final int version)
    {
        switch (templateId)
        {
            case CommandBatchDecoder.TEMPLATE_ID:
                return commandBatch.wrap(view, HEADER_LENGTH, blockLength, version).sbeDecodedLength();
            case PreAcceptDecoder.TEMPLATE_ID:
                return preAccept.wrap(view, HEADER_LENGTH, blockLength, version).sbeDecodedLength();
            case PreAcceptOkDecoder.TEMPLATE_ID:
                return preAcceptOk.wrap(view, HEADER_LENGTH, blockLength, version).sbeDecodedLength();
            case AcceptDecoder.TEMPLATE_ID:
                return accept.wrap(view, HEADER_LENGTH, blockLength, version).sbeDecodedLength();
            case AcceptOkDecoder.TEMPLATE_ID:
                return acceptOk.wrap(view, HEADER_LENGTH, blockLength, version).sbeDecodedLength();
            case CommitDecoder.TEMPLATE_ID:
                return commit.wrap(view, HEADER_LENGTH, blockLength, version).sbeDecodedLength();
            case PrepareDecoder.TEMPLATE_ID:
                return prepare.wrap(view, HEADER_LENGTH, blockLength, version).sbeDecodedLength();
            case PrepareOkDecoder.TEMPLATE_ID:
                return prepareOk.wrap(view, HEADER_LENGTH, blockLength, version).sbeDecodedLength();
            case TryPreAcceptDecoder.TEMPLATE_ID:
                return tryPreAccept.wrap(view, HEADER_LENGTH, blockLength, version).sbeDecodedLength();
            case TryPreAcceptReplyDecoder.TEMPLATE_ID:
                return tryPreAcceptReply.wrap(view, HEADER_LENGTH, blockLength, version).sbeDecodedLength();
            case NackDecoder.TEMPLATE_ID:
                return nack.wrap(view, HEADER_LENGTH, blockLength, version).sbeDecodedLength();
            case ClientRequestDecoder.TEMPLATE_ID:
                return clientRequest.wrap(view, HEADER_LENGTH, blockLength, version).sbeDecodedLength();
            case ClientResponseDecoder.TEMPLATE_ID:
                return clientResponse.wrap(view, HEADER_LENGTH, blockLength, version).sbeDecodedLength();
            case ProgressDecoder.TEMPLATE_ID:
                return progress.wrap(view, HEADER_LENGTH, blockLength, version).sbeDecodedLength();
            case InstanceRecordDecoder.TEMPLATE_ID:
                return instanceRecord.wrap(view, HEADER_LENGTH, blockLength, version).sbeDecodedLength();
            default:
                throw new IllegalStateException("no decoder for templateId " + templateId);
        }
    }
}
