package io.roundtable.protocol.tempo;

import io.roundtable.protocol.Ballot;
import org.agrona.DirectBuffer;

import java.util.Arrays;

/** One recovery of one instance at one ballot: the N−f replies it collects, pooled and reused. */
final class TempoRecoveryAttempt
{
    long dot;
    long ballot;
    long phaseStartNs;
    long replyMask;
    int replyCount;
    boolean payloadSent;
    boolean committed;
    long committedTimestamp;
    long acceptedBallot;
    long acceptedTimestamp;
    long fastQuorum;
    /** Repliers that hold a proposal, and per replica its value and ballot. */
    long proposedMask;
    final long[] proposal;
    final long[] proposalBallot;
    byte[] acceptedCommands = new byte[64];
    int acceptedCommandsLength;
    byte[] payload = new byte[64];
    int payloadLength;

    TempoRecoveryAttempt(final int replicaCount)
    {
        proposal = new long[replicaCount];
        proposalBallot = new long[replicaCount];
    }

    void reset(final long dot, final long ballot, final long nowNs)
    {
        this.dot = dot;
        this.ballot = ballot;
        this.phaseStartNs = nowNs;
        replyMask = 0;
        replyCount = 0;
        payloadSent = false;
        committed = false;
        committedTimestamp = 0;
        acceptedBallot = Ballot.NONE;
        acceptedTimestamp = 0;
        fastQuorum = 0;
        proposedMask = 0;
        Arrays.fill(proposal, 0);
        Arrays.fill(proposalBallot, Ballot.NONE);
        acceptedCommandsLength = 0;
        payloadLength = 0;
    }

    void setAccepted(final long ballot, final long timestamp, final DirectBuffer commands, final int offset,
        final int length)
    {
        acceptedBallot = ballot;
        acceptedTimestamp = timestamp;
        if (acceptedCommands.length < length)
        {
            acceptedCommands = new byte[Math.max(length, acceptedCommands.length * 2)];
        }
        commands.getBytes(offset, acceptedCommands, 0, length);
        acceptedCommandsLength = length;
    }

    void setPayload(final DirectBuffer commands, final int offset, final int length)
    {
        if (payload.length < length)
        {
            payload = new byte[Math.max(length, payload.length * 2)];
        }
        commands.getBytes(offset, payload, 0, length);
        payloadLength = length;
    }
}
