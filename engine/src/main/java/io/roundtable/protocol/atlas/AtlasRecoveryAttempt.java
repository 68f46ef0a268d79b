package io.roundtable.protocol.atlas;

import io.roundtable.protocol.Ballot;
import io.roundtable.protocol.DotSet;
import io.roundtable.protocol.dependency.RecoveryScheduler;
import org.agrona.DirectBuffer;

/**
 * What a recoverer has learnt about one instance in one MRec round. Pooled and reused: recovery is rare, but it must
 * not allocate per message either.
 */
final class AtlasRecoveryAttempt implements RecoveryScheduler.Attempt
{
    long dot;
    long ballot;
    long startNs;
    long replyMask;
    int replyCount;

    /** A reply that was committed (only possible for the recoverer's own state). */
    boolean committed;
    /** The ACCEPTED vote with the highest ballot, if any: its deps and commands. */
    long acceptedBallot = Ballot.NONE;
    final DotSet acceptedDeps = new DotSet(8);
    byte[] acceptedCommands = new byte[64];
    int acceptedCommandsLength;
    /** Any copy of the command some reply held. */
    byte[] payload = new byte[64];
    int payloadLength;

    /** Union of the deps of every PRE_ACCEPTED reply (collect or recovery votes): I = Q. */
    final DotSet unionOfQuorum = new DotSet(8);
    /** Union of the deps of the initial-ballot votes of fast-quorum members other than the owner: I = Q ∩ FQ. */
    final DotSet unionOfFastQuorum = new DotSet(8);
    /** The original fast quorum, as the initial-ballot voters recorded it (0 if no reply knew it). */
    long fastQuorumMask;
    /** Repliers that voted at a recovery ballot ({@code recover-r}). */
    long recoveryVoters;
    /** Repliers that held no copy of the command and so computed no dependencies. */
    long payloadless;
    boolean ownerReplied;

    public long dot()
    {
        return dot;
    }

    public long roundStartNs()
    {
        return startNs;
    }

    void reset(final long dot, final long ballot, final long nowNs)
    {
        this.dot = dot;
        this.ballot = ballot;
        this.startNs = nowNs;
        replyMask = 0;
        replyCount = 0;
        committed = false;
        acceptedBallot = Ballot.NONE;
        acceptedDeps.clear();
        acceptedCommandsLength = 0;
        payloadLength = 0;
        unionOfQuorum.clear();
        unionOfFastQuorum.clear();
        fastQuorumMask = 0;
        recoveryVoters = 0;
        payloadless = 0;
        ownerReplied = false;
    }

    void accepted(final long ballot, final long[] deps, final int depsCount, final DirectBuffer commands,
        final int offset, final int length)
    {
        acceptedBallot = ballot;
        acceptedDeps.copyFrom(deps, depsCount);
        acceptedCommands = copy(acceptedCommands, commands, offset, length);
        acceptedCommandsLength = length;
    }

    void payload(final DirectBuffer commands, final int offset, final int length)
    {
        payload = copy(payload, commands, offset, length);
        payloadLength = length;
    }

    private static byte[] copy(final byte[] into, final DirectBuffer source, final int offset, final int length)
    {
        final byte[] target = into.length < length ? new byte[Math.max(length, into.length * 2)] : into;
        source.getBytes(offset, target, 0, length);
        return target;
    }
}
