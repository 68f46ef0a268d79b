package io.roundtable.protocol.paxos;

import io.roundtable.protocol.Ballot;
import io.roundtable.protocol.InstanceSlots;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * This replica as candidate (phase 1) and as leader (phase 2).
 *
 * <p>A candidate takes {@code b} above every ballot it knows, journals it as its own promise, then sends Prepare for
 * every position from the first it does not know chosen. Each Promise reports what the acceptor holds from there on;
 * per position the candidate keeps the value of the highest accepted ballot (a chosen one outranks all). With N − f
 * promises, itself included, it leads: it proposes each reported position at {@code b} with that value, every gap
 * below the highest reported position with a no-op (in-order execution would otherwise stall on it for ever), and
 * then numbers new batches after the highest.
 *
 * <p>The leader journals its own acceptance before its Accept goes out, counts it towards the f + 1, re-sends an
 * Accept that has waited a phase timeout to the replicas that have not accepted it, and sends a Heartbeat when it has
 * sent nothing for a quarter of a phase timeout. A Nack carrying a higher ballot, or any message at one, makes it step
 * down. Candidate bookkeeping allocates (maps keyed by position); it runs once per election, not per command.
 */
final class PaxosLeader
{
    private static final byte FOLLOWER = 0;
    private static final byte CANDIDATE = 1;
    private static final byte LEADING = 2;
    private static final long CHOSEN_RANK = Long.MAX_VALUE;
    private static final int RETRANSMIT_BUDGET_PER_TICK = 4096;

    private final Paxos paxos;
    private final PaxosLog log;
    private final Long2LongHashMap bestRank = new Long2LongHashMap(Ballot.NONE);
    private final Long2ObjectHashMap<byte[]> bestValue = new Long2ObjectHashMap<>();
    private byte phase = FOLLOWER;
    private long ballot = Ballot.NONE;
    private long fromPosition;
    private long maxReported;
    /** The highest chosen prefix a promiser reported: those positions need no proposal. */
    private long reportedChosenUpTo;
    private long promisedBy;
    private int promiseCount;
    private boolean countingPromise;
    private long nextPosition = 1;
    private long lastSentNs;

    PaxosLeader(final Paxos paxos)
    {
        this.paxos = paxos;
        this.log = paxos.log;
    }

    boolean isLeading()
    {
        return phase == LEADING;
    }

    /** Leading or campaigning. */
    boolean isActive()
    {
        return phase != FOLLOWER;
    }

    long ballot()
    {
        return phase == FOLLOWER ? Ballot.NONE : ballot;
    }

    /** Replica 0 at start: nobody can hold a ballot below the initial one, so phase 1 has nothing to learn. */
    void leadAtInitialBallot(final long initialBallot)
    {
        ballot = initialBallot;
        phase = LEADING;
        nextPosition = 1;
    }

    void stepDown()
    {
        phase = FOLLOWER;
        bestRank.clear();
        bestValue.clear();
    }

    // ---------------------------------------------------------------- phase 1

    void startElection(final long nowNs)
    {
        stepDown();
        ballot = Ballot.nextAbove(paxos.promised, paxos.self);
        paxos.promised = ballot;
        paxos.journal.promise(ballot); // before the Prepare reveals it
        paxos.counters.recoveries++;
        phase = CANDIDATE;
        fromPosition = paxos.chosenUpTo + 1;
        maxReported = paxos.chosenUpTo;
        reportedChosenUpTo = paxos.chosenUpTo;
        promisedBy = 1L << paxos.self;
        promiseCount = 1;
        for (long position = fromPosition; position <= paxos.maxPosition; position++)
        {
            final int slot = log.slotOf(position);
            if (slot != InstanceSlots.NO_SLOT && log.status[slot] >= PaxosLog.ACCEPTED)
            {
                merge(position, log.acceptedBallot[slot], log.status[slot] >= PaxosLog.COMMITTED,
                    log.commands[slot], log.commandsLength[slot]);
            }
        }
        paxos.publisher.prepareToAll(ballot, fromPosition);
        lastSentNs = nowNs;
        if (promiseCount >= paxos.phase1Quorum)
        {
            becomeLeader(nowNs);
        }
    }

    void onPromiseBegin(final int from, final long promiseBallot, final long peerChosenUpTo)
    {
        countingPromise = phase == CANDIDATE && promiseBallot == ballot && (promisedBy & (1L << from)) == 0;
        if (countingPromise)
        {
            reportedChosenUpTo = Math.max(reportedChosenUpTo, peerChosenUpTo);
        }
    }

    void onPromiseEntry(
        final long position, final long acceptedBallot, final boolean chosen, final DirectBuffer commands,
        final int offset, final int length)
    {
        if (countingPromise && position >= fromPosition)
        {
            final byte[] value = new byte[length];
            commands.getBytes(offset, value);
            merge(position, acceptedBallot, chosen, value, length);
        }
    }

    void onPromiseEnd(final int from, final long coveredUpTo, final boolean lastPage)
    {
        if (!countingPromise)
        {
            return;
        }
        countingPromise = false;
        if (!lastPage)
        {
            // one page of a long Promise, merged above: ask for the next; only the last one counts the promise
            paxos.publisher.prepare(from, ballot, Math.max(coveredUpTo, fromPosition - 1) + 1);
            return;
        }
        promisedBy |= 1L << from;
        if (++promiseCount >= paxos.phase1Quorum)
        {
            becomeLeader(paxos.nowNs);
        }
    }

    private void merge(
        final long position, final long acceptedBallot, final boolean chosen, final byte[] value, final int length)
    {
        final long rank = chosen ? CHOSEN_RANK : acceptedBallot;
        if (rank > bestRank.get(position))
        {
            bestRank.put(position, rank);
            bestValue.put(position, value.length == length ? value : java.util.Arrays.copyOf(value, length));
        }
        maxReported = Math.max(maxReported, position);
    }

    private void becomeLeader(final long nowNs)
    {
        phase = LEADING;
        final org.agrona.concurrent.UnsafeBuffer view = paxos.commandsView;
        // positions up to a promiser's chosenUpTo are chosen: not proposed again, learnt by catch-up
        for (long position = Math.max(fromPosition, reportedChosenUpTo + 1); position <= maxReported; position++)
        {
            if (log.isChosen(position))
            {
                continue; // chosen here already; peers that lack it get it from catch-up
            }
            final byte[] value = bestValue.get(position);
            if (value != null)
            {
                view.wrap(value);
                propose(position, view, 0, value.length, nowNs);
            }
            else
            {
                propose(position, paxos.noOp, 0, paxos.noOpLength, nowNs);
            }
        }
        nextPosition = Math.max(Math.max(maxReported, reportedChosenUpTo), paxos.chosenUpTo) + 1;
        bestRank.clear();
        bestValue.clear();
    }

    // ---------------------------------------------------------------- phase 2

    /** @return the position the batch was proposed in. */
    long proposeNext(final DirectBuffer commands, final int offset, final int length)
    {
        final long position = nextPosition++;
        propose(position, commands, offset, length, paxos.nowNs);
        return position;
    }

    private void propose(
        final long position, final DirectBuffer commands, final int offset, final int length, final long nowNs)
    {
        final int slot = log.getOrCreate(position);
        paxos.maxPosition = Math.max(paxos.maxPosition, position);
        log.storeCommands(slot, commands, offset, length);
        log.acceptedBallot[slot] = ballot;
        log.status[slot] = PaxosLog.ACCEPTED;
        log.acceptedBy[slot] = 1L << paxos.self;
        log.acceptSentNs[slot] = nowNs;
        paxos.journal.position(slot, paxos.promised);
        paxos.publisher.acceptToAll(ballot, position, paxos.chosenUpTo, log.commands[slot], log.commandsLength[slot]);
        lastSentNs = nowNs;
        if (paxos.phase2Quorum == 1)
        {
            paxos.counters.slowPath++;
            paxos.choose(slot, true, true);
        }
    }

    void onAccepted(final int from, final long acceptedBallot, final long position)
    {
        if (phase != LEADING || acceptedBallot != ballot)
        {
            return;
        }
        final int slot = log.slotOf(position);
        if (slot == InstanceSlots.NO_SLOT || log.status[slot] != PaxosLog.ACCEPTED || log.acceptedBallot[slot] != ballot)
        {
            return;
        }
        log.acceptedBy[slot] |= 1L << from;
        if (Long.bitCount(log.acceptedBy[slot]) >= paxos.phase2Quorum)
        {
            paxos.counters.slowPath++;
            paxos.choose(slot, true, true);
        }
    }

    /** Replicas that accepted the value learn it by ballot alone; the others get the value with the news. */
    void announceChosen(final int slot, final long position)
    {
        final long acceptedBy = log.acceptedBy[slot];
        for (int peer = 0; peer < paxos.replicaCount; peer++)
        {
            if (peer == paxos.self)
            {
                continue;
            }
            final int length = (acceptedBy & (1L << peer)) != 0 ? 0 : log.commandsLength[slot];
            paxos.publisher.chosen(peer, ballot, position, log.commands[slot], length);
        }
    }

    void onTick(final long nowNs)
    {
        if (phase != LEADING)
        {
            return;
        }
        int budget = RETRANSMIT_BUDGET_PER_TICK;
        for (long position = paxos.chosenUpTo + 1; position < nextPosition && budget > 0; position++)
        {
            final int slot = log.slotOf(position);
            if (slot == InstanceSlots.NO_SLOT || log.status[slot] != PaxosLog.ACCEPTED ||
                log.acceptedBallot[slot] != ballot || nowNs - log.acceptSentNs[slot] < paxos.phaseTimeoutNs)
            {
                continue;
            }
            budget--;
            log.acceptSentNs[slot] = nowNs;
            for (int peer = 0; peer < paxos.replicaCount; peer++)
            {
                if (peer != paxos.self && (log.acceptedBy[slot] & (1L << peer)) == 0)
                {
                    paxos.publisher.accept(peer, ballot, position, paxos.chosenUpTo, log.commands[slot],
                        log.commandsLength[slot]);
                }
            }
            lastSentNs = nowNs;
        }
        if (nowNs - lastSentNs >= paxos.phaseTimeoutNs / 4)
        {
            paxos.publisher.heartbeatToAll(ballot, paxos.chosenUpTo);
            lastSentNs = nowNs;
        }
    }
}
