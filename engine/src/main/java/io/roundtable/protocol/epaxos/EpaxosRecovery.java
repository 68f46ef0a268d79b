package io.roundtable.protocol.epaxos;

import io.roundtable.protocol.dependency.DependencyInstances;
import io.roundtable.protocol.dependency.DependencyRecovery;
import io.roundtable.protocol.dependency.RecoveryScheduler;
import io.roundtable.command.CommandBatchWriter;
import io.roundtable.protocol.Ballot;
import io.roundtable.protocol.Dot;
import io.roundtable.protocol.InstanceSlots;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongLongConsumer;
import org.agrona.collections.LongArrayList;

/**
 * Explicit-prepare recovery of optimized EPaxos (EPaxos report §6.2), for instances that stay undecided here past
 * the recovery timeout or that the executor waits on. A recoverer prepares a ballot above everything it has seen,
 * collects F+1 replies (its own included) and then, by the highest vote it learnt:
 * <ol>
 * <li>a committed tuple: commit it (and tell everyone);</li>
 * <li>an accepted tuple: Paxos-Accept it;</li>
 * <li>a tuple every replied member of the original thrifty fast quorum voted for (at the initial ballot, or
 * tentatively in an earlier recovery) while the owner did not reply: it may have committed on the fast path, so ask
 * the other repliers to TryPreAccept it; with F+1 holders (the owner counted) Accept it, and on a conflict either
 * prove it cannot have committed fast (the conflict is committed, or its leader was in the fast quorum, or a
 * recovery deferred because of this instance was led by a fast-quorum member) and take the slow path, or defer:
 * recover the conflicting instance first and retry;</li>
 * <li>otherwise, a copy of the command: Phase 1 on the slow path; nothing at all: a no-op.</li>
 * </ol>
 * The seq sub-case of the report's conflict rule is left out: Roundtable orders inside an SCC by (seq, dot) but
 * relies on dependency paths, not on seq, for consistency. Competing recoverers converge through ballots and a
 * seeded random back-off ({@link RecoveryScheduler}, shared with Atlas).
 */
final class EpaxosRecovery implements DependencyRecovery
{
    private final Epaxos epaxos;
    private final DependencyInstances instances;
    private final RecoveryScheduler<RecoveryAttempt> scheduler;
    private final Long2LongHashMap deferredOn = new Long2LongHashMap(Dot.NONE);
    // held in fields so checking deferrals allocates nothing (a capturing lambda per check would)
    private final LongLongConsumer deferralCheck = this::checkDeferral;
    private long deferralQueryDot;
    private long deferralQueryFastQuorum;
    private boolean deferralFound;
    private final ExpandableArrayBuffer noOp = new ExpandableArrayBuffer(64);
    private final int noOpLength;

    EpaxosRecovery(final Epaxos epaxos, final EpaxosConfig config)
    {
        this.epaxos = epaxos;
        this.instances = epaxos.instances;
        this.scheduler = new RecoveryScheduler<>(config, instances, RecoveryAttempt::new, instances::isCommitted,
            this::start);
        this.noOpLength = new CommandBatchWriter().begin(noOp, 0, 0).length();
    }

    // -------------------------------------------------------------- triggers

    public void onMissing(final long dot, final long nowNs)
    {
        scheduler.onMissing(dot, nowNs);
    }

    public void onTick(final long nowNs, final LongArrayList undecided)
    {
        scheduler.onTick(nowNs, undecided);
    }

    public void onDecided(final long dot)
    {
        scheduler.onDecided(dot);
        deferredOn.remove(dot);
    }

    // --------------------------------------------------------------- prepare

    void start(final long dot)
    {
        if (epaxos.learnerOnly || epaxos.core.isCollected(dot))
        {
            return;
        }
        final int slot = instances.getOrCreate(dot);
        if (instances.status[slot] >= DependencyInstances.COMMITTED || scheduler.isActive(dot))
        {
            return;
        }
        final long floor = Math.max(Math.max(instances.promisedBallot[slot], instances.acceptedBallot[slot]),
            Ballot.initial(epaxos.core.epoch, Dot.replica(dot)));
        final long ballot = Ballot.nextAbove(floor, epaxos.core.self);
        instances.promisedBallot[slot] = ballot;
        instances.leading[slot] = false;
        epaxos.core.journal.record(slot);

        final RecoveryAttempt attempt = scheduler.begin(dot);
        attempt.reset(dot, ballot, scheduler.nowNs());
        epaxos.core.counters.recoveries++;

        instances.wrapCommands(slot, epaxos.core.commandsView);
        absorb(attempt, epaxos.core.self, instances.status[slot], instances.acceptedBallot[slot], instances.seq[slot],
            instances.fastQuorum[slot], instances.deps[slot].array(), instances.deps[slot].size(),
            epaxos.core.commandsView, 0, instances.commandsLength[slot]);
        epaxos.publisher.prepareToAll(ballot, dot);
    }

    void onPrepareOk(
        final int from, final long ballot, final long dot, final byte status, final long acceptedBallot, final int seq,
        final long fastQuorum, final long[] deps, final int depsCount,
        final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        final RecoveryAttempt attempt = scheduler.attempt(dot);
        if (attempt == null || attempt.ballot != ballot || attempt.phase != RecoveryAttempt.PREPARING ||
            (attempt.replyMask & (1L << from)) != 0)
        {
            return;
        }
        absorb(attempt, from, status, acceptedBallot, seq, fastQuorum, deps, depsCount, commands, commandsOffset,
            commandsLength);
        if (attempt.replyCount >= epaxos.core.slowQuorumSize)
        {
            conclude(attempt);
        }
    }

    private void absorb(
        final RecoveryAttempt attempt, final int from, final byte status, final long acceptedBallot, final int seq,
        final long fastQuorum, final long[] deps, final int depsCount,
        final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        attempt.replyMask |= 1L << from;
        attempt.replyCount++;
        final int owner = Dot.replica(attempt.dot);
        if (commandsLength > 0 && !attempt.anyCommand.present)
        {
            attempt.anyCommand.set(acceptedBallot, seq, deps, depsCount, commands, commandsOffset, commandsLength);
        }
        if (from == owner && status < DependencyInstances.COMMITTED)
        {
            // the owner promised our ballot without having decided: it never will at its initial ballot
            attempt.fastPathImpossible = true;
        }
        switch (status)
        {
            case DependencyInstances.COMMITTED:
            case DependencyInstances.EXECUTED:
                attempt.committed.set(acceptedBallot, seq, deps, depsCount, commands, commandsOffset, commandsLength);
                break;

            case DependencyInstances.ACCEPTED:
                if (acceptedBallot > attempt.accepted.ballot)
                {
                    attempt.accepted.set(acceptedBallot, seq, deps, depsCount, commands, commandsOffset,
                        commandsLength);
                }
                break;

            case DependencyInstances.PRE_ACCEPTED:
                final long initial = Ballot.initial(epaxos.core.epoch, owner);
                if (acceptedBallot > initial && fastQuorum == 0)
                {
                    attempt.highestPhaseOneVote = Math.max(attempt.highestPhaseOneVote, acceptedBallot);
                }
                else if (from != owner && fastQuorum != 0 && (fastQuorum & (1L << from)) != 0)
                {
                    if (acceptedBallot > initial)
                    {
                        attempt.highestTentativeVote = Math.max(attempt.highestTentativeVote, acceptedBallot);
                    }
                    fastQuorumVote(attempt, from, fastQuorum, acceptedBallot, seq, deps, depsCount, commands,
                        commandsOffset, commandsLength);
                }
                break;

            default:
                break;
        }
    }

    private static void fastQuorumVote(
        final RecoveryAttempt attempt, final int from, final long fastQuorum, final long ballot, final int seq,
        final long[] deps, final int depsCount, final DirectBuffer commands, final int offset, final int length)
    {
        if (!attempt.candidate.present)
        {
            attempt.candidate.set(ballot, seq, deps, depsCount, commands, offset, length);
            attempt.fastQuorumMask = fastQuorum;
            attempt.candidateHolders |= 1L << from;
        }
        else if (attempt.candidate.sameAs(seq, deps, depsCount))
        {
            attempt.candidateHolders |= 1L << from;
        }
        else
        {
            attempt.fastPathImpossible = true; // two fast-quorum members voted differently
        }
    }

    private void conclude(final RecoveryAttempt attempt)
    {
        final int slot = instances.slotOf(attempt.dot);
        if (attempt.committed.present)
        {
            adopt(slot, attempt.committed);
            release(attempt);
            epaxos.core.decide(slot, true);
            return;
        }

        final long highestVote = Math.max(attempt.accepted.ballot,
            Math.max(attempt.highestPhaseOneVote, attempt.highestTentativeVote));
        if (attempt.accepted.present && attempt.accepted.ballot == highestVote)
        {
            final long ballot = attempt.ballot;
            adopt(slot, attempt.accepted);
            release(attempt);
            epaxos.startAccept(slot, ballot, false);
            return;
        }

        if (mayHaveCommittedFast(attempt, highestVote))
        {
            tryPreAccept(attempt, slot);
            return;
        }
        slowPath(attempt, slot);
    }

    /**
     * The candidate may have been committed on the fast path only if the owner did not answer, no earlier recovery
     * proved otherwise with a higher vote, and every member of the fast quorum that answered holds it.
     */
    private boolean mayHaveCommittedFast(final RecoveryAttempt attempt, final long highestVote)
    {
        if (!attempt.candidate.present || attempt.fastPathImpossible ||
            attempt.highestPhaseOneVote > attempt.highestTentativeVote && attempt.highestPhaseOneVote == highestVote)
        {
            return false;
        }
        final long ownerBit = 1L << Dot.replica(attempt.dot);
        final long fastQuorumMembersReplied = attempt.replyMask & attempt.fastQuorumMask & ~ownerBit;
        return (fastQuorumMembersReplied & ~attempt.candidateHolders) == 0;
    }

    // ---------------------------------------------------------- try pre-accept

    private void tryPreAccept(final RecoveryAttempt attempt, final int slot)
    {
        attempt.phase = RecoveryAttempt.TRYING;
        attempt.phaseStartNs = scheduler.nowNs();
        final RecoveryAttempt.Tuple candidate = attempt.candidate;
        final long selfBit = 1L << epaxos.core.self;
        if ((attempt.candidateHolders & selfBit) == 0)
        {
            epaxos.core.setCommands(slot, bufferOf(candidate), 0, candidate.commandsLength);
            final long conflict = epaxos.findConflictWithTuple(
                slot, attempt.dot, candidate.deps.array(), candidate.deps.size());
            if (conflict != Dot.NONE)
            {
                onConflict(attempt, slot, conflict, epaxos.core.knownStatus(conflict));
                return;
            }
            epaxos.tentativelyPreAccept(slot, attempt.ballot, candidate.seq, attempt.fastQuorumMask,
                candidate.deps.array(), candidate.deps.size());
            attempt.candidateHolders |= selfBit;
        }
        if (enoughHolders(attempt))
        {
            acceptCandidate(attempt, slot);
            return;
        }
        final long ownerBit = 1L << Dot.replica(attempt.dot);
        attempt.tryTargets = attempt.replyMask & ~attempt.candidateHolders & ~ownerBit & ~selfBit;
        epaxos.core.commandsView.wrap(candidate.commands, 0, candidate.commandsLength);
        for (int peer = 0; peer < epaxos.core.replicaCount; peer++)
        {
            if ((attempt.tryTargets & (1L << peer)) != 0)
            {
                epaxos.publisher.tryPreAccept(peer, attempt.ballot, attempt.dot, candidate.seq,
                    attempt.fastQuorumMask, candidate.deps, epaxos.core.commandsView, candidate.commandsLength);
            }
        }
    }

    void onTryPreAcceptReply(
        final int from, final long ballot, final long dot, final boolean ok, final long conflictDot,
        final byte conflictStatus)
    {
        final RecoveryAttempt attempt = scheduler.attempt(dot);
        final long bit = 1L << from;
        if (attempt == null || attempt.ballot != ballot || attempt.phase != RecoveryAttempt.TRYING ||
            (attempt.tryTargets & bit) == 0 || (attempt.tryReplied & bit) != 0)
        {
            return;
        }
        attempt.tryReplied |= bit;
        final int slot = instances.slotOf(dot);
        if (!ok)
        {
            onConflict(attempt, slot, conflictDot, conflictStatus);
            return;
        }
        attempt.candidateHolders |= bit;
        if (enoughHolders(attempt))
        {
            acceptCandidate(attempt, slot);
        }
    }

    /** F+1 replicas hold the candidate; the owner counts, as it proposed it (report §6.2 step 7a). */
    private boolean enoughHolders(final RecoveryAttempt attempt)
    {
        final long holders = attempt.candidateHolders | (1L << Dot.replica(attempt.dot));
        return Long.bitCount(holders) >= epaxos.core.slowQuorumSize;
    }

    private void onConflict(final RecoveryAttempt attempt, final int slot, final long conflict, final byte status)
    {
        if (conflict == attempt.dot)
        {
            release(attempt); // decided meanwhile; its Commit is on the way
            return;
        }
        final long fastQuorum = attempt.fastQuorumMask;
        if (status >= DependencyInstances.COMMITTED ||
            (fastQuorum & (1L << Dot.replica(conflict))) != 0 ||
            deferredBecauseOf(attempt.dot, fastQuorum))
        {
            slowPath(attempt, slot); // steps 7b, 7c, 7d: it cannot have committed on the fast path
            return;
        }
        // step 7e: recover the conflicting instance first, then try this one again
        deferredOn.put(attempt.dot, conflict);
        release(attempt);
        start(conflict);
    }

    /** Step 7d: some instance deferred because of {@code dot} was led by a member of {@code dot}'s fast quorum. */
    private boolean deferredBecauseOf(final long dot, final long fastQuorum)
    {
        deferralQueryDot = dot;
        deferralQueryFastQuorum = fastQuorum;
        deferralFound = false;
        deferredOn.forEachLong(deferralCheck);
        return deferralFound;
    }

    private void checkDeferral(final long deferred, final long on)
    {
        if (on == deferralQueryDot && (deferralQueryFastQuorum & (1L << Dot.replica(deferred))) != 0)
        {
            deferralFound = true;
        }
    }

    private void acceptCandidate(final RecoveryAttempt attempt, final int slot)
    {
        final long ballot = attempt.ballot;
        adopt(slot, attempt.candidate);
        release(attempt);
        epaxos.startAccept(slot, ballot, false);
    }

    /** Nothing can have been chosen: Phase 1 for the command on the slow path, or a no-op if nobody has it. */
    private void slowPath(final RecoveryAttempt attempt, final int slot)
    {
        final long ballot = attempt.ballot;
        final RecoveryAttempt.Tuple command = attempt.candidate.present ? attempt.candidate : attempt.anyCommand;
        if (command.present && command.commandsLength > 0)
        {
            epaxos.core.setCommands(slot, bufferOf(command), 0, command.commandsLength);
            release(attempt);
            epaxos.startPreAccept(slot, ballot, true);
        }
        else
        {
            release(attempt);
            epaxos.core.setCommands(slot, noOp, 0, noOpLength);
            instances.deps[slot].clear();
            instances.seq[slot] = 0;
            epaxos.startAccept(slot, ballot, false);
        }
    }

    void onNack(final int from, final long ballot, final long dot, final long promisedBallot)
    {
        final int slot = instances.slotOf(dot);
        if (slot != InstanceSlots.NO_SLOT && promisedBallot > instances.promisedBallot[slot] &&
            instances.status[slot] < DependencyInstances.COMMITTED)
        {
            // remember the higher ballot so the next attempt starts above it; not a promise, so not journaled
            instances.promisedBallot[slot] = promisedBallot;
            instances.leading[slot] = false;
        }
        final RecoveryAttempt attempt = scheduler.attempt(dot);
        if (attempt != null && attempt.ballot == ballot)
        {
            release(attempt);
        }
    }

    private void adopt(final int slot, final RecoveryAttempt.Tuple tuple)
    {
        epaxos.core.setCommands(slot, bufferOf(tuple), 0, tuple.commandsLength);
        instances.deps[slot].copyFrom(tuple.deps);
        instances.seq[slot] = tuple.seq;
    }

    private final org.agrona.concurrent.UnsafeBuffer tupleView = new org.agrona.concurrent.UnsafeBuffer(0, 0);

    private DirectBuffer bufferOf(final RecoveryAttempt.Tuple tuple)
    {
        tupleView.wrap(tuple.commands, 0, Math.max(tuple.commandsLength, 0));
        return tupleView;
    }

    private void release(final RecoveryAttempt attempt)
    {
        scheduler.release(attempt);
    }

    int activeCount()
    {
        return scheduler.activeCount();
    }
}
