package io.roundtable.protocol.epaxos;

import io.roundtable.protocol.Ballot;
import io.roundtable.protocol.DotSet;
import io.roundtable.protocol.dependency.RecoveryScheduler;
import org.agrona.DirectBuffer;

/**
 * What a recoverer has learnt about one instance in one explicit-prepare round. Pooled and reused: recovery is rare,
 * but it must not allocate per message either.
 */
final class RecoveryAttempt implements RecoveryScheduler.Attempt
{
    static final byte PREPARING = 1;
    static final byte TRYING = 2;

    /** One tuple (seq, deps, commands) reported by some replica. */
    static final class Tuple
    {
        boolean present;
        long ballot = Ballot.NONE;
        int seq;
        final DotSet deps = new DotSet(8);
        byte[] commands = new byte[64];
        int commandsLength;

        void set(final long ballot, final int seq, final long[] deps, final int depsCount,
            final DirectBuffer source, final int offset, final int length)
        {
            present = true;
            this.ballot = ballot;
            this.seq = seq;
            this.deps.copyFrom(deps, depsCount);
            if (commands.length < length)
            {
                commands = new byte[Math.max(length, commands.length * 2)];
            }
            source.getBytes(offset, commands, 0, length);
            commandsLength = length;
        }

        boolean sameAs(final int seq, final long[] deps, final int depsCount)
        {
            return present && this.seq == seq && this.deps.sameAs(deps, depsCount);
        }

        void clear()
        {
            present = false;
            ballot = Ballot.NONE;
            deps.clear();
            commandsLength = 0;
        }
    }

    long dot;
    long ballot;
    byte phase;
    long phaseStartNs;
    long replyMask;
    int replyCount;

    final Tuple committed = new Tuple();
    final Tuple accepted = new Tuple();
    /** The tuple the original fast quorum may have committed: initial-ballot or tentative votes of its members. */
    final Tuple candidate = new Tuple();
    /** Any copy of the command, for a slow-path Phase 1 when nothing can have been chosen. */
    final Tuple anyCommand = new Tuple();
    long fastQuorumMask;
    long candidateHolders;
    boolean fastPathImpossible;
    /** Highest ballot of a recovery Phase-1 vote (proof by an earlier recoverer that nothing was chosen fast). */
    long highestPhaseOneVote = Ballot.NONE;
    /** Highest ballot of a tentative (TryPreAccept) vote. */
    long highestTentativeVote = Ballot.NONE;

    long tryTargets;
    long tryReplied;
    long tryAgreed;

    public long dot()
    {
        return dot;
    }

    public long roundStartNs()
    {
        return phaseStartNs;
    }

    void reset(final long dot, final long ballot, final long nowNs)
    {
        this.dot = dot;
        this.ballot = ballot;
        this.phase = PREPARING;
        this.phaseStartNs = nowNs;
        replyMask = 0;
        replyCount = 0;
        committed.clear();
        accepted.clear();
        candidate.clear();
        anyCommand.clear();
        fastQuorumMask = 0;
        candidateHolders = 0;
        fastPathImpossible = false;
        highestPhaseOneVote = Ballot.NONE;
        highestTentativeVote = Ballot.NONE;
        tryTargets = 0;
        tryReplied = 0;
        tryAgreed = 0;
    }
}
