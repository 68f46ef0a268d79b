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

    /**
     * Returns {@code ballot}, the ballot a message is sent at, if a replica of the cluster owns it (or it is
     * {@link Ballot#NONE}); throws {@link #INSTANCE} otherwise. A ballot owned by a replica the cluster does not have
     * is no one's to hold: promised, it would outrank the real ones and then lead nowhere (a Multi-Paxos replica
     * would forward to that leader, a dependency-protocol acceptor nack its instance's coordinator).
     */
    public static long requireBallot(final long ballot, final int replicaCount)
    {
        if (ballot != Ballot.NONE && Ballot.replica(ballot) >= replicaCount)
        {
            throw INSTANCE;
        }
        return ballot;
    }

    private MalformedMessageException()
    {
        super("malformed message", null, false, false);
    }
}
