package io.roundtable.protocol.tempo;

import io.roundtable.command.CommandBatchWriter;
import io.roundtable.protocol.Ballot;
import io.roundtable.protocol.Dot;
import io.roundtable.protocol.InstanceSlots;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongObjConsumer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;
import java.util.SplittableRandom;

/**
 * Recovery of an instance whose coordinator stopped (Tempo's recovery, as design note §2.7 reconstructs it): a
 * recoverer sends TempoRecover at a ballot above everything it has seen, carrying the command if it has it. A replica
 * that promises the ballot and holds the command but never proposed for it proposes now (recover-r), so every replier
 * holding the command has a proposal. With N−f replies Q (the recoverer's own included):
 * <ol>
 * <li>a committed timestamp: commit it;</li>
 * <li>a timestamp accepted in consensus: the one with the highest accepted ballot;</li>
 * <li>nobody has the command: a no-op at timestamp 0 (its commit validates whatever attached promises exist for it,
 * so the voters' frontiers close);</li>
 * <li>the recoverer lacked the command when it asked and some replier has no proposal: ask again, with it;</li>
 * <li>otherwise the max proposal over I, where I = Q if the owner is in Q, or the fast quorum is unknown, or some
 * member of Q∩FQ proposed at a recovery ballot; else I = Q∩FQ. If the command committed on the fast path, at most f−1
 * fast quorum members besides the owner are outside Q, so one of the ≥ f acceptors that proposed the max is in I, and
 * the max over I is the fast timestamp. In both branches I with the owner is a majority, so the recovered timestamp is
 * the max over a majority's proposals, as stability requires.</li>
 * </ol>
 * The chosen timestamp then goes through consensus (f+1 accepts) at the recovery ballot, and commits. Competing
 * recoverers converge through ballots and a seeded random back-off.
 * <p>
 * These rules mirror Atlas's recovery (recover-r for a replier that proposes only now, I chosen as there, max instead
 * of union); the Tempo paper's own recovery pseudocode (extended version) was not available here. Still to compare
 * with it: whether a replier must hold the payload to answer, and whether its MRecAck carries the proposal's ballot
 * (here {@code proposalBallot}) or a phase.
 */
final class TempoRecovery
{
    private final Tempo tempo;
    private final TempoInstances instances;
    private final long recoveryTimeoutNs;
    private final SplittableRandom random;
    private final Long2ObjectHashMap<TempoRecoveryAttempt> active = new Long2ObjectHashMap<>();
    private final ArrayDeque<TempoRecoveryAttempt> pool = new ArrayDeque<>();
    private final LongArrayList dueScratch = new LongArrayList();
    private final LongObjConsumer<TempoRecoveryAttempt> collectTimedOut = this::collectIfTimedOut;
    private final ExpandableArrayBuffer noOp = new ExpandableArrayBuffer(64);
    private final int noOpLength;
    private final UnsafeBuffer attemptView = new UnsafeBuffer(0, 0);
    private long nowNs;

    TempoRecovery(final Tempo tempo, final long recoveryTimeoutNs, final long randomSeed)
    {
        this.tempo = tempo;
        this.instances = tempo.instances;
        this.recoveryTimeoutNs = recoveryTimeoutNs;
        this.random = new SplittableRandom(randomSeed);
        this.noOpLength = new CommandBatchWriter().begin(noOp, 0, 0).length();
    }

    void onTick(final long nowNs, final LongArrayList undecided)
    {
        this.nowNs = nowNs;
        for (int i = undecided.size() - 1; i >= 0; i--)
        {
            final long dot = undecided.getLong(i);
            final int slot = instances.slotOf(dot);
            if (slot == InstanceSlots.NO_SLOT || instances.status[slot] >= TempoInstances.COMMITTED)
            {
                undecided.fastUnorderedRemove(i);
                continue;
            }
            if (!instances.leading[slot] && !active.containsKey(dot) &&
                nowNs - instances.undecidedSinceNs[slot] >= recoveryTimeoutNs)
            {
                instances.undecidedSinceNs[slot] = nowNs + backoff();
                start(dot);
            }
        }
        dueScratch.clear();
        active.forEachLong(collectTimedOut);
        for (int i = 0; i < dueScratch.size(); i++)
        {
            release(active.get(dueScratch.getLong(i)));
        }
    }

    void onDecided(final long dot)
    {
        final TempoRecoveryAttempt attempt = active.get(dot);
        if (attempt != null)
        {
            release(attempt);
        }
    }

    void onNack(final long ballot, final long dot)
    {
        final TempoRecoveryAttempt attempt = active.get(dot);
        if (attempt != null && attempt.ballot == ballot)
        {
            release(attempt);
        }
    }

    private void collectIfTimedOut(final long dot, final TempoRecoveryAttempt attempt)
    {
        if (nowNs - attempt.phaseStartNs >= recoveryTimeoutNs)
        {
            dueScratch.addLong(dot);
        }
    }

    private long backoff()
    {
        return random.nextLong(recoveryTimeoutNs);
    }

    void start(final long dot)
    {
        if (tempo.isCollected(dot))
        {
            return;
        }
        final int slot = instances.getOrCreate(dot);
        if (instances.status[slot] >= TempoInstances.COMMITTED || active.containsKey(dot))
        {
            return;
        }
        final long floor = Math.max(Math.max(instances.promisedBallot[slot], instances.acceptedBallot[slot]),
            Ballot.initial(0, Dot.replica(dot)));
        final long ballot = Ballot.nextAbove(floor, tempo.self);
        tempo.recoverVote(slot, ballot, attemptView, 0, 0);

        final TempoRecoveryAttempt attempt = pool.isEmpty() ? new TempoRecoveryAttempt(tempo.replicaCount) : pool.pop();
        attempt.reset(dot, ballot, nowNs);
        attempt.payloadSent = instances.hasCommands(slot) && isPayload(slot);
        active.put(dot, attempt);
        tempo.counters.recoveries++;

        instances.wrapCommands(slot, tempo.commandsView);
        absorb(attempt, tempo.self, instances.status[slot], instances.acceptedBallot[slot], instances.timestamp[slot],
            instances.proposalBallot[slot], instances.proposal[slot], instances.fastQuorum[slot], tempo.commandsView, 0,
            instances.commandsLength[slot]);
        tempo.publisher.recoverToAll(ballot, dot, tempo.commandsView, instances.commandsLength[slot]);
        if (attempt.replyCount >= tempo.recoveryQuorumSize)
        {
            conclude(attempt);
        }
    }

    void onRecoverAck(
        final int from, final long ballot, final long dot, final byte status, final long acceptedBallot,
        final long timestamp, final long proposalBallot, final long proposal, final long fastQuorum,
        final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        final TempoRecoveryAttempt attempt = active.get(dot);
        if (attempt == null || attempt.ballot != ballot || (attempt.replyMask & (1L << from)) != 0)
        {
            return;
        }
        absorb(attempt, from, status, acceptedBallot, timestamp, proposalBallot, proposal, fastQuorum, commands,
            commandsOffset, commandsLength);
        if (attempt.replyCount >= tempo.recoveryQuorumSize)
        {
            conclude(attempt);
        }
    }

    private void absorb(
        final TempoRecoveryAttempt attempt, final int from, final byte status, final long acceptedBallot,
        final long timestamp, final long proposalBallot, final long proposal, final long fastQuorum,
        final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        attempt.replyMask |= 1L << from;
        attempt.replyCount++;
        if (fastQuorum != 0)
        {
            attempt.fastQuorum = fastQuorum;
        }
        if (commandsLength > 0 && attempt.payloadLength == 0 &&
            tempo.batchReader.commandCount(commands, commandsOffset) > 0)
        {
            attempt.setPayload(commands, commandsOffset, commandsLength);
        }
        if (status >= TempoInstances.COMMITTED && commandsLength > 0)
        {
            attempt.committed = true;
            attempt.committedTimestamp = timestamp;
            attempt.setAccepted(acceptedBallot, timestamp, commands, commandsOffset, commandsLength);
            return;
        }
        if (status == TempoInstances.ACCEPTED && commandsLength > 0 && acceptedBallot > attempt.acceptedBallot)
        {
            attempt.setAccepted(acceptedBallot, timestamp, commands, commandsOffset, commandsLength);
        }
        if (proposalBallot != Ballot.NONE)
        {
            attempt.proposedMask |= 1L << from;
            attempt.proposal[from] = proposal;
            attempt.proposalBallot[from] = proposalBallot;
        }
    }

    private void conclude(final TempoRecoveryAttempt attempt)
    {
        final int slot = instances.slotOf(attempt.dot);
        final long ballot = attempt.ballot;
        if (attempt.committed)
        {
            adopt(slot, attempt.acceptedCommands, attempt.acceptedCommandsLength);
            instances.timestamp[slot] = attempt.committedTimestamp;
            release(attempt);
            tempo.decide(slot, true, true);
            return;
        }
        if (attempt.acceptedBallot != Ballot.NONE)
        {
            adopt(slot, attempt.acceptedCommands, attempt.acceptedCommandsLength);
            final long timestamp = attempt.acceptedTimestamp;
            release(attempt);
            tempo.coordinator().startConsensus(slot, ballot, timestamp, false);
            return;
        }
        if (attempt.payloadLength == 0)
        {
            release(attempt);
            tempo.setCommands(slot, noOp, 0, noOpLength);
            tempo.coordinator().startConsensus(slot, ballot, 0, false);
            return;
        }
        if ((attempt.replyMask & ~attempt.proposedMask) != 0)
        {
            // some replier has no proposal: it lacked the command; ask again at a higher ballot, with the command
            if (!instances.hasCommands(slot) || !isPayload(slot))
            {
                adopt(slot, attempt.payload, attempt.payloadLength);
            }
            release(attempt);
            start(attempt.dot);
            return;
        }
        final long owner = 1L << Dot.replica(attempt.dot);
        final long initial = Ballot.initial(0, Dot.replica(attempt.dot));
        final long quorum = attempt.replyMask;
        boolean wholeQuorum = (quorum & owner) != 0 || attempt.fastQuorum == 0;
        final long quorumInFastQuorum = quorum & attempt.fastQuorum;
        for (int replica = 0; replica < tempo.replicaCount && !wholeQuorum; replica++)
        {
            if ((quorumInFastQuorum & (1L << replica)) != 0 && attempt.proposalBallot[replica] > initial)
            {
                wholeQuorum = true;
            }
        }
        final long chosenFrom = wholeQuorum ? quorum : quorumInFastQuorum;
        long timestamp = 0;
        for (int replica = 0; replica < tempo.replicaCount; replica++)
        {
            if ((chosenFrom & attempt.proposedMask & (1L << replica)) != 0)
            {
                timestamp = Math.max(timestamp, attempt.proposal[replica]);
            }
        }
        if (!instances.hasCommands(slot) || !isPayload(slot))
        {
            adopt(slot, attempt.payload, attempt.payloadLength);
        }
        release(attempt);
        tempo.coordinator().startConsensus(slot, ballot, timestamp, false);
    }

    private boolean isPayload(final int slot)
    {
        instances.wrapCommands(slot, attemptView);
        return tempo.batchReader.commandCount(attemptView, 0) > 0;
    }

    private void adopt(final int slot, final byte[] commands, final int length)
    {
        attemptView.wrap(commands, 0, length);
        tempo.setCommands(slot, attemptView, 0, length);
    }

    private void release(final TempoRecoveryAttempt attempt)
    {
        if (attempt != null && active.remove(attempt.dot) == attempt)
        {
            pool.push(attempt);
        }
    }
}
