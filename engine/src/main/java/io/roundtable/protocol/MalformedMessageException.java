package io.roundtable.protocol;

/**
 * Thrown inside an adapter when a message fails validation after decoding started; caught by the same adapter, which
 * counts and drops the message. A preallocated instance without a stack trace: bad input must not allocate either.
 */
public final class MalformedMessageException extends RuntimeException
{
    public static final MalformedMessageException INSTANCE = new MalformedMessageException();

    private static final long serialVersionUID = 1L;

    /** Throws {@link #INSTANCE} if a decoder's {@code limit} runs past the message's {@code length}. */
    public static void requireWithin(final int limit, final int length)
    {
        if (limit > length)
        {
            throw INSTANCE;
        }
    }

    private MalformedMessageException()
    {
        super("malformed message", null, false, false);
    }
}
