package io.roundtable.protocol.paxos;

import io.roundtable.command.CommandBatchReader;
import io.roundtable.command.CommandBatchWriter;
import io.roundtable.protocol.Ballot;
import io.roundtable.protocol.CommitSink;
import io.roundtable.protocol.Dot;
import io.roundtable.protocol.InstanceSlots;
import io.roundtable.protocol.JournalSink;
import io.roundtable.protocol.Outbox;
import io.roundtable.protocol.Protocol;
import io.roundtable.protocol.ProtocolCounters;
import io.roundtable.protocol.progress.ProgressCollector;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Multi-Paxos, the baseline the leaderless protocols are measured against (issue 5): one stable leader runs phase 2
 * only, one log position per {@code CommandBatch}, pipelined; followers forward their batches to the leader
 * (server-side forwarding, as fantoch's FPaxos does), so batching, transport and journal policy are the same as for
 * EPaxos, Atlas and Tempo.
 *
 * <p><b>The log as dots.</b> Position s is dot {@code 0.s} whoever leads (origin 0 is "the log", not replica 0), so
 * positions are numbered contiguously in one origin and the per-origin executed watermarks, Progress-based catch-up and
 * garbage collection work unchanged. A chosen position reaches the {@link CommitSink} with deps = {position − 1} and
 * the graph executor runs the log in order; a no-op is an empty {@code CommandBatch} (header only), as EPaxos
 * recovery's, which the runtime and the simulator execute as nothing.
 *
 * <p><b>Quorums.</b> Flexible Paxos: phase 1 (election) needs N − f promises, phase 2 f + 1 accepts, leader included.
 * Any two such quorums intersect (N − f + f + 1 > N), which is all Paxos safety needs, and phase 2, the steady-state
 * path whose latency the benchmark compares, waits for as few replicas as Atlas's and Tempo's slow paths with the same
 * f. With the default f = ⌊(N−1)/2⌋ both are classic majorities; any N ≥ 2f+1 works, even ones included.
 *
 * <p><b>Ballots.</b> One log-wide promised ballot covers every position (which is what makes steady state
 * phase-2-only). It is journaled before any Promise or Prepare that reveals it, and each accepted position before its
 * Accepted: a restart that forgot a promise could let two leaders both get phase 2 through. Replica 0 starts as leader
 * at the initial ballot 0.0.0 and skips phase 1, since no lower ballot exists; any other leader is elected on timeout
 * ({@link PaxosElection}) and, once N − f replicas promised, re-proposes every position from the first one it does not
 * know chosen with the value of the highest accepted ballot reported, filling gaps with no-ops ({@link PaxosLeader}).
 *
 * <p><b>Counters.</b> fastPath stays 0; slowPath counts positions this replica chose as leader; recoveries counts
 * elections this replica started; proposed counts client batches it proposed as leader.
 */
public final class Paxos implements Protocol, PaxosHandler
{
    private static final int CHECKPOINT_STATE_VERSION = 1;
    private static final int CHECKPOINT_STATE_LENGTH =
        Integer.BYTES + Long.BYTES + ProgressCollector.snapshotLength(1);

    final int self;
    final int replicaCount;
    final int phase1Quorum;
    final int phase2Quorum;
    final long phaseTimeoutNs;
    final ProtocolCounters counters = new ProtocolCounters();
    final PaxosLog log;
    final PaxosPublisher publisher;
    final PaxosJournal journal;
    final CommandBatchReader batchReader = new CommandBatchReader();
    final UnsafeBuffer commandsView = new UnsafeBuffer(0, 0);
    final ExpandableArrayBuffer noOp = new ExpandableArrayBuffer(64);
    final int noOpLength;
    private final CommitSink commitSink;
    private final PaxosMessageAdapter adapter;
    private final PaxosReplayer replayer = new PaxosReplayer(this);
    private final PaxosLeader leader;
    private final PaxosElection election;
    private final ProgressCollector progress;
    private final long[] predecessor = new long[1];

    /** The highest ballot this replica promised (journaled); the leader it forwards to is its owner. */
    long promised = Ballot.initial(0, 0);
    /** Every position up to here is chosen here (or collected). */
    long chosenUpTo;
    /** The highest position this replica holds anything about. */
    long maxPosition;
    long nowNs;
    private long learnScanBallot = Ballot.NONE;
    private long learnScannedUpTo;

    /**
     * @param self           this replica.
     * @param replicaCount   N.
     * @param faults         f: phase 1 waits for N − f promises, phase 2 for f + 1 accepts.
     * @param phaseTimeoutNs Accept retransmission and the election timeout's unit.
     * @param electionSeed   seeds the election back-off (the core draws no other randomness).
     */
    public Paxos(
        final int self, final int replicaCount, final int faults, final long phaseTimeoutNs, final long electionSeed,
        final Outbox outbox, final JournalSink journalSink, final CommitSink commitSink)
    {
        this(self, replicaCount, faults, phaseTimeoutNs, electionSeed, outbox, journalSink, commitSink,
            PaxosPublisher.DEFAULT_PROMISE_PAGE_BYTES);
    }

    /** As above, with a Promise page size of {@code promisePageBytes} (tests make it small to page often). */
    Paxos(
        final int self, final int replicaCount, final int faults, final long phaseTimeoutNs, final long electionSeed,
        final Outbox outbox, final JournalSink journalSink, final CommitSink commitSink, final int promisePageBytes)
    {
        if (replicaCount < 1 || replicaCount > Long.SIZE || self < 0 || self >= replicaCount)
        {
            throw new IllegalArgumentException("replica " + self + " of " + replicaCount + " (1 to 64 replicas)");
        }
        if (faults < 0 || 2 * faults + 1 > replicaCount)
        {
            throw new IllegalArgumentException("faults " + faults + " needs 2f+1 <= N = " + replicaCount);
        }
        this.self = self;
        this.replicaCount = replicaCount;
        this.phase1Quorum = replicaCount - faults;
        this.phase2Quorum = faults + 1;
        this.phaseTimeoutNs = phaseTimeoutNs;
        this.commitSink = commitSink;
        this.log = new PaxosLog(1024);
        this.publisher = new PaxosPublisher(outbox, counters, promisePageBytes);
        this.journal = new PaxosJournal(journalSink, log);
        this.adapter = new PaxosMessageAdapter(this, replicaCount);
        this.noOpLength = new CommandBatchWriter().begin(noOp, 0, 0).length();
        this.leader = new PaxosLeader(this);
        this.election = new PaxosElection(this, electionSeed);
        this.progress = new ProgressCollector(self, replicaCount, 1, phaseTimeoutNs, new PaxosCollectable(this), counters);
        if (self == 0)
        {
            leader.leadAtInitialBallot(promised);
        }
    }

    /**
     * At the leader: proposes the batch in the next log position. At a follower: forwards it to the leader it knows
     * and returns {@link Dot#NONE} (the runtime and the simulator ignore the result; a forwarded batch that dies with
     * its leader is re-sent by the client and de-duplicated by the state machine). With no leader known (an election
     * is running) the batch is dropped the same way.
     */
    public long submit(final DirectBuffer commandBatch, final int offset, final int length)
    {
        if (!batchReader.isValid(commandBatch, offset, length) || batchReader.commandCount(commandBatch, offset) == 0)
        {
            throw new IllegalArgumentException("not an encoded, non-empty CommandBatch (use CommandBatchWriter)");
        }
        if (leader.isLeading())
        {
            counters.proposed++;
            return PaxosLog.dotOf(leader.proposeNext(commandBatch, offset, length));
        }
        final int knownLeader = Ballot.replica(promised);
        if (knownLeader != self)
        {
            publisher.forward(knownLeader, commandBatch, offset, length);
        }
        return Dot.NONE;
    }

    public void onMessage(final int fromReplica, final DirectBuffer buffer, final int offset, final int length)
    {
        if (counters.countInbound(fromReplica, replicaCount, self))
        {
            adapter.onMessage(fromReplica, buffer, offset, length);
        }
    }

    public void onTick(final long nowNs)
    {
        this.nowNs = nowNs;
        leader.onTick(nowNs);
        election.onTick(nowNs);
        progress.onTick(nowNs);
    }

    public void replay(final DirectBuffer record, final int offset, final int length)
    {
        leader.stepDown();
        replayer.replay(record, offset, length);
    }

    /**
     * The executor waits for a position not chosen here. Nothing to start: a live leader retransmits its Accepts, a
     * dead one is replaced by an election that re-proposes it, and peers resend chosen positions a laggard lacks
     * every Progress round.
     */
    public void onMissingDependency(final long dot)
    {
    }

    public boolean wrapCommands(final long dot, final UnsafeBuffer view)
    {
        if (Dot.replica(dot) != 0)
        {
            return false;
        }
        final int slot = log.slotOf(Dot.instance(dot));
        if (slot == InstanceSlots.NO_SLOT || log.status[slot] < PaxosLog.COMMITTED)
        {
            return false;
        }
        log.wrapCommands(slot, view);
        return true;
    }

    public void onExecuted(final long dot)
    {
        final int slot = Dot.replica(dot) == 0 ? log.slotOf(Dot.instance(dot)) : InstanceSlots.NO_SLOT;
        if (slot == InstanceSlots.NO_SLOT)
        {
            return;
        }
        log.status[slot] = PaxosLog.EXECUTED;
        progress.onExecuted(dot);
    }

    public ProtocolCounters counters()
    {
        return counters;
    }

    // ------------------------------------------------------------ checkpoint

    /** Layout: version (int), promised ballot, executed prefix, collected prefix (longs). */
    public int snapshotState(final MutableDirectBuffer out, final int offset)
    {
        out.putInt(offset, CHECKPOINT_STATE_VERSION);
        out.putLong(offset + Integer.BYTES, promised);
        progress.snapshot(out, offset + Integer.BYTES + Long.BYTES);
        return CHECKPOINT_STATE_LENGTH;
    }

    public void journalLiveInstances()
    {
        final InstanceSlots slots = log.slots;
        for (int slot = 0, limit = slots.slotLimit(); slot < limit; slot++)
        {
            if (slots.dotAt(slot) != Dot.NONE && log.status[slot] >= PaxosLog.ACCEPTED)
            {
                journal.positionWithCommands(slot, promised);
            }
        }
    }

    public void restoreState(final DirectBuffer state, final int offset, final int length)
    {
        if (length != CHECKPOINT_STATE_LENGTH || state.getInt(offset) != CHECKPOINT_STATE_VERSION)
        {
            throw new IllegalArgumentException("not a Multi-Paxos checkpoint state: " + length + " bytes");
        }
        if (log.slots.size() != 0)
        {
            throw new IllegalStateException("restore the checkpoint state before any log position");
        }
        final long ballot = state.getLong(offset + Integer.BYTES);
        progress.restore(state, offset + Integer.BYTES + Long.BYTES);
        leader.stepDown();
        restorePromise(ballot);
        final long executed = progress.executedUpTo(0);
        chosenUpTo = Math.max(chosenUpTo, executed);
        maxPosition = Math.max(maxPosition, executed);
    }

    // ---------------------------------------------------------------- acceptor

    public void onForward(final int from, final DirectBuffer commands, final int offset, final int length)
    {
        if (!batchReader.isValid(commands, offset, length) || batchReader.commandCount(commands, offset) == 0)
        {
            counters.malformedDropped++;
            return;
        }
        if (leader.isLeading())
        {
            counters.proposed++;
            leader.proposeNext(commands, offset, length);
        }
        // else: not the leader (any more); the client re-sends
    }

    public void onPrepare(final int from, final long ballot, final long fromPosition)
    {
        if (ballot > promised)
        {
            promise(ballot);
            election.onHeard(nowNs, from);
        }
        else if (ballot != promised || Ballot.replica(ballot) != from)
        {
            publisher.nack(from, ballot, Dot.NONE, promised);
            return;
        }
        // A new promise or a re-sent Prepare of the ballot promised: (re)state what this replica holds. Positions up
        // to chosenUpTo are chosen here: the number says so and the candidate learns their values by catch-up, which
        // keeps the Promise to the tail this replica has not seen chosen (a lagging candidate would otherwise be sent
        // the whole history it lacks, past what one transport message may carry).
        publisher.promise(from, ballot, chosenUpTo, log, Math.max(fromPosition, chosenUpTo + 1), maxPosition);
    }

    public void onAccept(
        final int from, final long ballot, final long position, final long leaderChosenUpTo,
        final DirectBuffer commands, final int offset, final int length)
    {
        if (!batchReader.isValid(commands, offset, length) || Ballot.replica(ballot) != from)
        {
            counters.malformedDropped++;
            return;
        }
        if (ballot < promised)
        {
            publisher.nack(from, ballot, PaxosLog.dotOf(position), promised);
            return;
        }
        if (ballot > promised)
        {
            promise(ballot);
        }
        election.onHeard(nowNs, from);
        if (position > progress.collectedUpTo(0))
        {
            final int slot = log.getOrCreate(position);
            maxPosition = Math.max(maxPosition, position);
            if (log.status[slot] < PaxosLog.COMMITTED)
            {
                log.storeCommands(slot, commands, offset, length);
                log.acceptedBallot[slot] = ballot;
                log.status[slot] = PaxosLog.ACCEPTED;
                journal.position(slot, promised);
            }
            // a chosen position: any higher ballot proposes the chosen value again, so this vote is the same
            publisher.accepted(from, ballot, position);
            if (position <= leaderChosenUpTo && log.status[slot] == PaxosLog.ACCEPTED)
            {
                choose(slot, false, true); // a re-sent Accept of a position its leader has already chosen
            }
        }
        learnChosen(ballot, leaderChosenUpTo);
    }

    public void onChosen(
        final int from, final long ballot, final long position, final DirectBuffer commands, final int offset,
        final int length)
    {
        if (length > 0 && !batchReader.isValid(commands, offset, length))
        {
            counters.malformedDropped++;
            return;
        }
        if (ballot >= promised && Ballot.replica(ballot) == from)
        {
            election.onHeard(nowNs, from);
        }
        if (position <= progress.collectedUpTo(0))
        {
            return;
        }
        final int slot = log.getOrCreate(position);
        maxPosition = Math.max(maxPosition, position);
        if (log.status[slot] >= PaxosLog.COMMITTED)
        {
            return;
        }
        if (length > 0)
        {
            log.storeCommands(slot, commands, offset, length);
            log.acceptedBallot[slot] = ballot;
            choose(slot, false, true);
        }
        else if (log.status[slot] == PaxosLog.ACCEPTED && log.acceptedBallot[slot] == ballot)
        {
            choose(slot, false, true);
        }
        // else: the value is elsewhere; the next Progress round resends it with its commands
    }

    public void onHeartbeat(final int from, final long ballot, final long leaderChosenUpTo)
    {
        if (Ballot.replica(ballot) != from)
        {
            counters.malformedDropped++;
            return;
        }
        if (ballot < promised)
        {
            publisher.nack(from, ballot, Dot.NONE, promised); // a deposed leader: make it step down
            return;
        }
        if (ballot > promised)
        {
            // a leader elected without this replica: promising its ballot is always safe, and points forwarding at it
            promise(ballot);
        }
        election.onHeard(nowNs, from);
        learnChosen(ballot, leaderChosenUpTo);
    }

    /**
     * The leader of {@code ballot} has chosen every position up to {@code upTo}: what this replica accepted at that
     * very ballot is the chosen value (a leader proposes one value per position and ballot).
     */
    private void learnChosen(final long ballot, final long upTo)
    {
        final long to = Math.min(upTo, maxPosition);
        // what an earlier scan at this ballot passed over stays as it was, except positions accepted since, which
        // onAccept checks itself: a hole (a lost Accept) does not make every message rescan the whole window
        long from = chosenUpTo + 1;
        if (ballot == learnScanBallot)
        {
            from = Math.max(from, learnScannedUpTo + 1);
        }
        else
        {
            learnScanBallot = ballot;
            learnScannedUpTo = 0;
        }
        for (long position = from; position <= to; position++)
        {
            final int slot = log.slotOf(position);
            if (slot != InstanceSlots.NO_SLOT && log.status[slot] == PaxosLog.ACCEPTED &&
                log.acceptedBallot[slot] == ballot)
            {
                choose(slot, false, true);
            }
        }
        learnScannedUpTo = Math.max(learnScannedUpTo, to);
    }

    /** Raises the log-wide promise, journaled before anything reveals it; a leader or candidate below it steps down. */
    void promise(final long ballot)
    {
        promised = ballot;
        journal.promise(ballot);
        if (leader.ballot() != ballot)
        {
            leader.stepDown();
        }
    }

    // ------------------------------------------------------------- leader

    public void onPromiseBegin(final int from, final long ballot, final long peerChosenUpTo)
    {
        leader.onPromiseBegin(from, ballot, peerChosenUpTo);
    }

    public void onPromiseEntry(
        final int from, final long ballot, final long position, final long acceptedBallot, final boolean chosen,
        final DirectBuffer commands, final int offset, final int length)
    {
        leader.onPromiseEntry(position, acceptedBallot, chosen, commands, offset, length);
    }

    public void onPromiseEnd(final int from, final long ballot, final long coveredUpTo, final boolean lastPage)
    {
        leader.onPromiseEnd(from, coveredUpTo, lastPage);
    }

    public void onAccepted(final int from, final long ballot, final long position)
    {
        leader.onAccepted(from, ballot, position);
    }

    public void onNack(final int from, final long ballot, final long dot, final long promisedBallot)
    {
        if (promisedBallot <= ballot)
        {
            counters.malformedDropped++;
            return;
        }
        final boolean deposed = leader.ballot() == ballot && leader.isActive();
        if (promisedBallot > promised && Ballot.replica(promisedBallot) < replicaCount)
        {
            // promising more is always safe and points forwarding at the new leader; journaled like any promise
            promise(promisedBallot);
        }
        if (deposed)
        {
            leader.stepDown();
            election.onDeposed(nowNs, promisedBallot);
        }
    }

    public void onProgress(final int from, final int origin, final long executedUpTo)
    {
        progress.onProgress(from, origin, executedUpTo);
    }

    public void onUnexpected(final int from, final int templateId)
    {
        counters.malformedDropped++;
    }

    /**
     * {@code slot} is chosen: journal it, tell the peers if this replica chose it as leader, then hand it to the
     * executor, so the Chosen leaves before local execution starts (PROTOCOLS.md pitfall 3).
     */
    void choose(final int slot, final boolean asLeader, final boolean journaled)
    {
        log.status[slot] = PaxosLog.COMMITTED;
        final long position = log.positionAt(slot);
        if (journaled)
        {
            journal.position(slot, promised);
        }
        if (asLeader)
        {
            leader.announceChosen(slot, position);
        }
        counters.committed++;
        while (log.isChosen(chosenUpTo + 1))
        {
            chosenUpTo++;
        }
        predecessor[0] = PaxosLog.dotOf(position - 1);
        commitSink.onCommit(PaxosLog.dotOf(position), 0, predecessor, position > 1 ? 1 : 0);
    }

    // ---------------------------------------------------------------- replay

    void restorePromise(final long ballot)
    {
        if (ballot > promised)
        {
            promised = ballot;
        }
    }

    void restorePosition(
        final long dot, final boolean chosen, final long promisedBallot, final long acceptedBallot,
        final DirectBuffer commands, final int offset, final int length)
    {
        restorePromise(promisedBallot);
        final long position = Dot.instance(dot);
        if (Dot.replica(dot) != 0 || position == 0 || position <= progress.collectedUpTo(0))
        {
            return; // forgotten by the checkpoint the replay started from
        }
        final int slot = log.getOrCreate(position);
        maxPosition = Math.max(maxPosition, position);
        if (log.status[slot] >= PaxosLog.COMMITTED)
        {
            return;
        }
        if (length > 0)
        {
            log.storeCommands(slot, commands, offset, length);
            log.commandsJournaled[slot] = true;
        }
        log.acceptedBallot[slot] = acceptedBallot;
        if (chosen)
        {
            choose(slot, false, false);
        }
        else
        {
            log.status[slot] = PaxosLog.ACCEPTED;
        }
    }

    // ------------------------------------------------------------ inspection

    public int replicaId()
    {
        return self;
    }

    public boolean isLeading()
    {
        return leader.isLeading();
    }

    public long promisedBallot()
    {
        return promised;
    }

    public long chosenUpTo()
    {
        return chosenUpTo;
    }

    /** Positions held right now (chosen ones are dropped once executed everywhere). */
    public int positionCount()
    {
        return log.slots.size();
    }

    /** Starts an election now, as the timeout would (scenario tests drive elections step by step). */
    void startElection()
    {
        leader.startElection(nowNs);
    }
}
