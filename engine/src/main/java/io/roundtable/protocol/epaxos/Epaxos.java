package io.roundtable.protocol.epaxos;

import io.roundtable.command.CommandBatchReader;
import io.roundtable.conflict.ConflictIndex;
import io.roundtable.protocol.Ballot;
import io.roundtable.protocol.CommitSink;
import io.roundtable.protocol.Dot;
import io.roundtable.protocol.DotSet;
import io.roundtable.protocol.InstanceSlots;
import io.roundtable.protocol.JournalSink;
import io.roundtable.protocol.Outbox;
import io.roundtable.protocol.Protocol;
import io.roundtable.protocol.ProtocolCounters;
import io.roundtable.protocol.dependency.DependencyCollector;
import io.roundtable.protocol.dependency.DependencyHandler;
import io.roundtable.protocol.dependency.DependencyInstances;
import io.roundtable.protocol.dependency.DependencyJournal;
import io.roundtable.protocol.dependency.DependencyMessageAdapter;
import io.roundtable.protocol.dependency.DependencyPublisher;
import io.roundtable.protocol.dependency.DependencyReplayer;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Optimized EPaxos (EPaxos report §6): thrifty fast quorum of F + ⌊(F+1)/2⌋, slow quorum F+1, the FP-quorum and
 * FP-deps-committed fast-path conditions, Paxos-Accept on the slow path, Commit broadcast to every replica (carrying
 * the commands, so replicas outside the quorums learn them from it), and explicit-prepare recovery
 * ({@link EpaxosRecovery}). Pure: see {@link Protocol}.
 *
 * <p>The fast path condition is the report's: the fast quorum's replies are identical to each other; the
 * coordinator's own initial attributes need not match, since acceptors union them in and recovery never counts the
 * coordinator's pre-accept (PROTOCOLS.md's "equal to the coordinator's own attributes too" is stricter than the
 * report, and would make N=3 conflict-sensitive, contradicting §6.1).
 *
 * <p>Every instance carries a promised ballot and, separately, the ballot its attributes were last set in
 * ({@code acceptedBallot}); both are journaled (PROTOCOLS.md pitfall 1). A replica "leads" an instance while the
 * ballot it promised is its own and it started a phase in it: the original coordinator at the initial ballot, or a
 * recoverer at a higher one.
 */
public final class Epaxos implements Protocol, DependencyHandler
{
    private static final int CHECKPOINT_STATE_VERSION = 1;

    final int self;
    final int replicaCount;
    final int fastQuorumSize;
    final int slowQuorumSize;
    final long phaseTimeoutNs;
    final int[] peers;
    final long initialBallot;
    final int epoch;
    final boolean learnerOnly;
    final long thriftyFastQuorumMask;
    final CommitSink commitSink;
    final ProtocolCounters counters = new ProtocolCounters();
    final DependencyInstances instances;
    final ConflictIndex conflicts = new ConflictIndex();
    final DependencyPublisher publisher;
    final DependencyJournal journal;
    final CommandBatchReader batchReader = new CommandBatchReader();
    final UnsafeBuffer commandsView = new UnsafeBuffer(0, 0);
    final DotSet scratchDeps = new DotSet(16);
    private final DependencyMessageAdapter adapter;
    private final DependencyReplayer replayer = new DependencyReplayer(this::restore);
    private final EpaxosRecovery recovery;
    private final LongArrayList undecided = new LongArrayList();
    private final DependencyCollector collector;
    private final EpaxosCoordinator coordinator;
    private long nextInstance = 1;
    long nowNs;

    public Epaxos(
        final EpaxosConfig config, final Outbox outbox, final JournalSink journalSink, final CommitSink commitSink)
    {
        config.requireConcluded();
        this.self = config.replicaId();
        this.replicaCount = config.replicaCount();
        this.fastQuorumSize = config.fastQuorum();
        this.slowQuorumSize = config.slowQuorum();
        this.phaseTimeoutNs = config.phaseTimeoutNs();
        this.peers = config.peerPreferenceArray();
        this.epoch = config.epoch();
        this.learnerOnly = config.learnerOnly();
        this.initialBallot = Ballot.initial(epoch, self);
        long mask = 1L << self;
        for (int i = 0; i < fastQuorumSize - 1; i++)
        {
            mask |= 1L << peers[i];
        }
        this.thriftyFastQuorumMask = mask;
        this.commitSink = commitSink;
        this.instances = new DependencyInstances(config.initialCapacity());
        this.adapter = new DependencyMessageAdapter(this, replicaCount);
        this.publisher = new DependencyPublisher(outbox, counters);
        this.publisher.collectedInstances(this::isCollected);
        this.journal = new DependencyJournal(journalSink, instances);
        this.coordinator = new EpaxosCoordinator(this);
        this.recovery = new EpaxosRecovery(this, config);
        this.collector = new DependencyCollector(self, replicaCount, phaseTimeoutNs, instances, conflicts, publisher, counters,
            recovery::onDecided);
    }

    public long submit(final DirectBuffer commandBatch, final int offset, final int length)
    {
        if (learnerOnly)
        {
            throw new IllegalStateException("replica " + self + " lost its journal and only learns decisions until " +
                "it rejoins under a new identity: submit to another replica");
        }
        if (!batchReader.isValid(commandBatch, offset, length) || batchReader.commandCount(commandBatch, offset) == 0)
        {
            throw new IllegalArgumentException("not an encoded, non-empty CommandBatch (use CommandBatchWriter)");
        }
        final long dot = Dot.of(self, nextInstance++);
        final int slot = instances.getOrCreate(dot);
        setCommands(slot, commandBatch, offset, length);
        counters.proposed++;
        startPreAccept(slot, initialBallot, false);
        return dot;
    }

    public void onMessage(final int fromReplica, final DirectBuffer buffer, final int offset, final int length)
    {
        counters.messagesIn++;
        if (fromReplica < 0 || fromReplica >= replicaCount || fromReplica == self)
        {
            counters.malformedDropped++;
            return;
        }
        adapter.onMessage(fromReplica, buffer, offset, length);
    }

    public void onTick(final long nowNs)
    {
        this.nowNs = nowNs;
        coordinator.retransmitStalledPhases();
        recovery.onTick(nowNs, undecided);
        collector.onTick(nowNs);
    }

    public void onProgress(final int from, final int replica, final int origin, final long upTo)
    {
        collector.onProgress(replica, origin, upTo);
    }

    /** Executed at every replica and forgotten here: nothing said about it can change anything. */
    boolean isCollected(final long dot)
    {
        return collector.isCollected(dot);
    }

    public void replay(final DirectBuffer record, final int offset, final int length)
    {
        replayer.replay(record, offset, length);
    }

    public void onMissingDependency(final long dot)
    {
        if (validDot(dot) && !instances.isCommitted(dot) && !isCollected(dot))
        {
            recovery.onMissing(dot, nowNs);
        }
    }

    public boolean wrapCommands(final long dot, final UnsafeBuffer view)
    {
        final int slot = instances.slotOf(dot);
        if (slot == InstanceSlots.NO_SLOT || instances.status[slot] < DependencyInstances.COMMITTED)
        {
            return false;
        }
        instances.wrapCommands(slot, view);
        return true;
    }

    public void onExecuted(final long dot)
    {
        final int slot = instances.slotOf(dot);
        if (slot == InstanceSlots.NO_SLOT)
        {
            return;
        }
        instances.status[slot] = DependencyInstances.EXECUTED;
        collector.onExecuted(dot);
    }

    public ProtocolCounters counters()
    {
        return counters;
    }

    // ------------------------------------------------------------ checkpoint

    /** Layout: version (int), next instance (long), then the collector's per-origin executed/collected prefixes. */
    public int snapshotState(final MutableDirectBuffer out, final int offset)
    {
        out.putInt(offset, CHECKPOINT_STATE_VERSION);
        out.putLong(offset + Integer.BYTES, nextInstance);
        final int header = Integer.BYTES + Long.BYTES;
        return header + collector.snapshot(out, offset + header);
    }

    public void journalLiveInstances()
    {
        final InstanceSlots slots = instances.slots;
        for (int slot = 0, limit = slots.slotLimit(); slot < limit; slot++)
        {
            if (slots.dotAt(slot) != Dot.NONE)
            {
                journal.recordWithCommands(slot);
            }
        }
    }

    public void restoreState(final DirectBuffer state, final int offset, final int length)
    {
        final int header = Integer.BYTES + Long.BYTES;
        if (length != header + DependencyCollector.snapshotLength(replicaCount) ||
            state.getInt(offset) != CHECKPOINT_STATE_VERSION)
        {
            throw new IllegalArgumentException("not an EPaxos checkpoint state for " + replicaCount + " replicas: " +
                length + " bytes, version " + (length >= Integer.BYTES ? state.getInt(offset) : -1));
        }
        if (instances.slots.size() != 0)
        {
            throw new IllegalStateException("restore the checkpoint state before any instance");
        }
        nextInstance = Math.max(nextInstance, state.getLong(offset + Integer.BYTES));
        collector.restore(state, offset + header);
    }

    // ---------------------------------------------------------------- acceptor

    public void onPreAccept(
        final int from, final long ballot, final long dot, final int seq, final long fastQuorum, final long[] deps,
        final int depsCount, final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        final int slot = slotForVote(from, ballot, dot, deps, depsCount, commands, commandsOffset, commandsLength);
        if (slot == InstanceSlots.NO_SLOT)
        {
            return;
        }
        final byte status = instances.status[slot];
        if (status == DependencyInstances.PRE_ACCEPTED && instances.acceptedBallot[slot] == ballot)
        {
            // a duplicate: repeat the vote already journaled rather than vote again with different attributes
            publisher.preAcceptOk(from, ballot, dot, instances.seq[slot], instances.deps[slot], instances);
            return;
        }
        if (status == DependencyInstances.ACCEPTED && instances.acceptedBallot[slot] >= ballot)
        {
            return; // a late PreAccept of a ballot this replica already accepted in
        }

        setCommands(slot, commands, commandsOffset, commandsLength);
        final DotSet localDeps = instances.deps[slot];
        localDeps.copyFrom(deps, depsCount);
        final int localMaxSeq = conflicts.collect(instances.keys[slot], dot, localDeps);
        final int newSeq = Math.max(seq, localMaxSeq + 1);
        instances.seq[slot] = newSeq;
        instances.fastQuorum[slot] = fastQuorum;
        setVote(slot, DependencyInstances.PRE_ACCEPTED, ballot);
        publisher.preAcceptOk(from, ballot, dot, newSeq, localDeps, instances);
    }

    public void onAccept(
        final int from, final long ballot, final long dot, final int seq, final long[] deps, final int depsCount,
        final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        final int slot = slotForVote(from, ballot, dot, deps, depsCount, commands, commandsOffset, commandsLength);
        if (slot == InstanceSlots.NO_SLOT)
        {
            return;
        }
        setCommands(slot, commands, commandsOffset, commandsLength);
        instances.deps[slot].copyFrom(deps, depsCount);
        instances.seq[slot] = seq;
        setVote(slot, DependencyInstances.ACCEPTED, ballot);
        publisher.acceptOk(from, ballot, dot);
    }

    public void onCommit(
        final int from, final long ballot, final long dot, final int seq, final long[] deps, final int depsCount,
        final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        if (!validInput(dot, deps, depsCount) || !batchReader.isValid(commands, commandsOffset, commandsLength))
        {
            counters.malformedDropped++;
            return;
        }
        if (isCollected(dot))
        {
            return;
        }
        final int slot = instances.getOrCreate(dot);
        if (instances.status[slot] >= DependencyInstances.COMMITTED)
        {
            return; // duplicate Commit
        }
        setCommands(slot, commands, commandsOffset, commandsLength);
        instances.deps[slot].copyFrom(deps, depsCount);
        instances.seq[slot] = seq;
        decide(slot, false);
    }

    /**
     * EPaxos sends its Prepare without commands (the PrepareOk replies carry what replicas hold); commands that are
     * there are ignored, but must still be a valid batch, as in every other message.
     */
    public void onPrepare(
        final int from, final long ballot, final long dot,
        final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        if (!validDot(dot) || (commandsLength > 0 && !batchReader.isValid(commands, commandsOffset, commandsLength)))
        {
            counters.malformedDropped++;
            return;
        }
        if (isCollected(dot))
        {
            return;
        }
        final int slot = instances.getOrCreate(dot);
        if (answeredAsDecided(slot, from) || learnerOnly)
        {
            return;
        }
        if (ballot <= instances.promisedBallot[slot])
        {
            publisher.nack(from, ballot, dot, instances.promisedBallot[slot]);
            return;
        }
        instances.promisedBallot[slot] = ballot;
        instances.leading[slot] = false;
        journal.record(slot);
        instances.wrapCommands(slot, commandsView);
        publisher.prepareOk(from, ballot, dot, instances.status[slot], instances.acceptedBallot[slot],
            instances.seq[slot], instances.fastQuorum[slot], instances.deps[slot], commandsView,
            instances.commandsLength[slot]);
    }

    public void onTryPreAccept(
        final int from, final long ballot, final long dot, final int seq, final long fastQuorum, final long[] deps,
        final int depsCount,
        final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        final int slot = slotForVote(from, ballot, dot, deps, depsCount, commands, commandsOffset, commandsLength);
        if (slot == InstanceSlots.NO_SLOT)
        {
            return;
        }
        setCommands(slot, commands, commandsOffset, commandsLength);
        final long conflict = findConflictWithTuple(slot, dot, deps, depsCount);
        if (conflict != Dot.NONE)
        {
            publisher.tryPreAcceptReply(from, ballot, dot, false, conflict, knownStatus(conflict));
            return;
        }
        tentativelyPreAccept(slot, ballot, seq, fastQuorum, deps, depsCount);
        publisher.tryPreAcceptReply(from, ballot, dot, true, Dot.NONE, DependencyInstances.NONE);
    }

    /** A TryPreAccept vote: the tuple as proposed (no local union) with the original fast quorum recorded. */
    void tentativelyPreAccept(
        final int slot, final long ballot, final int seq, final long fastQuorum, final long[] deps, final int depsCount)
    {
        instances.deps[slot].copyFrom(deps, depsCount);
        instances.seq[slot] = seq;
        instances.fastQuorum[slot] = fastQuorum;
        setVote(slot, DependencyInstances.PRE_ACCEPTED, ballot);
    }

    /**
     * TryPreAccept's conflict rule (report §6.2 step 6, without the seq sub-case, which only matters for the
     * report's seq-based proofs): a command δ this replica knows that conflicts with γ, is not in γ's proposed deps,
     * and does not have γ in its recorded deps. Pending commands and committed heads are checked; every other
     * committed conflicting command is reachable from a head.
     *
     * @return δ, or {@link Dot#NONE} when γ's tuple is consistent with what this replica knows.
     */
    long findConflictWithTuple(final int slot, final long dot, final long[] deps, final int depsCount)
    {
        scratchDeps.clear();
        conflicts.collect(instances.keys[slot], dot, scratchDeps);
        for (int i = 0, n = scratchDeps.size(); i < n; i++)
        {
            final long other = scratchDeps.get(i);
            if (java.util.Arrays.binarySearch(deps, 0, depsCount, other) >= 0)
            {
                continue;
            }
            final int otherSlot = instances.slotOf(other);
            if (otherSlot == InstanceSlots.NO_SLOT || !instances.deps[otherSlot].contains(dot))
            {
                return other;
            }
        }
        return Dot.NONE;
    }

    byte knownStatus(final long dot)
    {
        if (isCollected(dot))
        {
            return DependencyInstances.EXECUTED;
        }
        final int slot = instances.slotOf(dot);
        return slot == InstanceSlots.NO_SLOT ? DependencyInstances.NONE : instances.status[slot];
    }

    /**
     * The common gate of every message asking for a vote: malformed input is counted and dropped, forgotten
     * instances are ignored, decided ones answer with their Commit, lower ballots get a Nack.
     *
     * @return the instance's slot, or {@link InstanceSlots#NO_SLOT} when the message has been dealt with.
     */
    private int slotForVote(
        final int from, final long ballot, final long dot, final long[] deps, final int depsCount,
        final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        if (!validInput(dot, deps, depsCount) || !batchReader.isValid(commands, commandsOffset, commandsLength))
        {
            counters.malformedDropped++;
            return InstanceSlots.NO_SLOT;
        }
        if (isCollected(dot))
        {
            return InstanceSlots.NO_SLOT;
        }
        final int slot = instances.getOrCreate(dot);
        if (answeredAsDecided(slot, from) || learnerOnly || rejectedAsStale(slot, from, ballot, dot))
        {
            return InstanceSlots.NO_SLOT;
        }
        return slot;
    }

    /** A decided instance answers any question about it with its Commit, so laggards and recoverers learn it. */
    private boolean answeredAsDecided(final int slot, final int from)
    {
        if (instances.status[slot] < DependencyInstances.COMMITTED)
        {
            return false;
        }
        instances.wrapCommands(slot, commandsView);
        publisher.commitTo(from, instances.promisedBallot[slot], instances.slots.dotAt(slot), instances.seq[slot],
            instances.deps[slot], commandsView, instances.commandsLength[slot]);
        return true;
    }

    private boolean rejectedAsStale(final int slot, final int from, final long ballot, final long dot)
    {
        if (ballot < instances.promisedBallot[slot])
        {
            publisher.nack(from, ballot, dot, instances.promisedBallot[slot]);
            return true;
        }
        return false;
    }

    /** Records and journals this replica's vote for the instance's current attributes at {@code ballot}. */
    void setVote(final int slot, final byte status, final long ballot)
    {
        if (instances.promisedBallot[slot] != ballot)
        {
            instances.leading[slot] = false;
        }
        trackUndecided(slot);
        instances.status[slot] = status;
        instances.promisedBallot[slot] = ballot;
        instances.acceptedBallot[slot] = ballot;
        conflicts.onPending(instances.slots.dotAt(slot), instances.keys[slot], instances.seq[slot]);
        journal.record(slot);
    }

    private void trackUndecided(final int slot)
    {
        if (instances.status[slot] == DependencyInstances.NONE)
        {
            instances.undecidedSinceNs[slot] = nowNs;
            undecided.addLong(instances.slots.dotAt(slot));
        }
    }

    // ------------------------------------------------------------- coordinator

    public void onPreAcceptOk(
        final int from, final long ballot, final long dot, final int seq, final long[] deps,
        final boolean[] depsCommitted, final int depsCount)
    {
        if (!validInput(dot, deps, depsCount))
        {
            counters.malformedDropped++;
            return;
        }
        coordinator.onPreAcceptOk(from, ballot, dot, seq, deps, depsCommitted, depsCount);
    }

    public void onAcceptOk(final int from, final long ballot, final long dot)
    {
        if (!validDot(dot))
        {
            counters.malformedDropped++;
            return;
        }
        coordinator.onAcceptOk(from, ballot, dot);
    }

    void startPreAccept(final int slot, final long ballot, final boolean slowPathOnly)
    {
        coordinator.startPreAccept(slot, ballot, slowPathOnly);
    }

    void startAccept(final int slot, final long ballot, final boolean thrifty)
    {
        coordinator.startAccept(slot, ballot, thrifty);
    }
    public void onNack(final int from, final long ballot, final long dot, final long promisedBallot)
    {
        if (!validDot(dot))
        {
            counters.malformedDropped++;
            return;
        }
        final int slot = instances.slotOf(dot);
        if (slot != InstanceSlots.NO_SLOT && instances.leading[slot] && instances.promisedBallot[slot] == ballot &&
            promisedBallot > ballot)
        {
            // someone recovers this instance with a higher ballot: stop leading it; recovery finishes it
            instances.leading[slot] = false;
        }
        recovery.onNack(from, ballot, dot, promisedBallot);
    }

    public void onPrepareOk(
        final int from, final long ballot, final long dot, final byte status, final long acceptedBallot, final int seq,
        final long fastQuorum, final long[] deps, final int depsCount,
        final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        if (!validInput(dot, deps, depsCount) ||
            (commandsLength > 0 && !batchReader.isValid(commands, commandsOffset, commandsLength)))
        {
            counters.malformedDropped++;
            return;
        }
        recovery.onPrepareOk(from, ballot, dot, status, acceptedBallot, seq, fastQuorum, deps, depsCount,
            commands, commandsOffset, commandsLength);
    }

    public void onTryPreAcceptReply(
        final int from, final long ballot, final long dot, final boolean ok, final long conflictDot,
        final byte conflictStatus)
    {
        if (!validDot(dot) || (!ok && !validDot(conflictDot)))
        {
            counters.malformedDropped++;
            return;
        }
        recovery.onTryPreAcceptReply(from, ballot, dot, ok, conflictDot, conflictStatus);
    }

    public void onUnexpected(final int from, final int templateId)
    {
        counters.malformedDropped++;
    }

    /**
     * The tuple in {@code slot} is chosen. Journal it, broadcast the Commit if this replica led the decision, then
     * hand it to the executor: the Commit leaves before local execution can start (PROTOCOLS.md pitfall 3).
     */
    void decide(final int slot, final boolean asLeader)
    {
        decide(slot, asLeader, true);
    }

    /** {@code journaled} is false only for a decision read back from the journal: it is there already. */
    private void decide(final int slot, final boolean asLeader, final boolean journaled)
    {
        final long dot = instances.slots.dotAt(slot);
        final byte previous = instances.status[slot];
        instances.status[slot] = DependencyInstances.COMMITTED;
        instances.leading[slot] = false;
        if (journaled)
        {
            journal.record(slot);
        }
        final DotSet deps = instances.deps[slot];
        if (asLeader)
        {
            instances.wrapCommands(slot, commandsView);
            publisher.commitToAll(instances.promisedBallot[slot], dot, instances.seq[slot], deps, commandsView,
                instances.commandsLength[slot]);
        }
        if (previous == DependencyInstances.NONE)
        {
            instances.undecidedSinceNs[slot] = nowNs;
        }
        conflicts.onCommitted(dot, instances.keys[slot], instances.seq[slot], deps.array(), deps.size());
        counters.committed++;
        recovery.onDecided(dot);
        commitSink.onCommit(dot, instances.seq[slot], deps.array(), deps.size());
    }

    /** Stores an instance's commands and derives its keys, withdrawing a pending registration under old keys. */
    void setCommands(final int slot, final DirectBuffer commands, final int offset, final int length)
    {
        final byte status = instances.status[slot];
        if (status == DependencyInstances.PRE_ACCEPTED || status == DependencyInstances.ACCEPTED)
        {
            conflicts.removePending(instances.slots.dotAt(slot), instances.keys[slot]);
        }
        instances.storeCommands(slot, commands, offset, length);
        batchReader.readKeys(commands, offset, length, instances.keys[slot]);
    }

    // ---------------------------------------------------------------- replay

    /** Called by {@link DependencyReplayer} for each journaled state, in journal order. */
    void restore(
        final long dot, final byte status, final long promisedBallot, final long acceptedBallot, final int seq,
        final long fastQuorum, final long[] deps, final int depsCount, final DirectBuffer commands,
        final int commandsOffset, final int commandsLength)
    {
        if (isCollected(dot))
        {
            return; // forgotten by the checkpoint the replay started from
        }
        final int slot = instances.getOrCreate(dot);
        if (instances.status[slot] >= DependencyInstances.COMMITTED)
        {
            return;
        }
        if (commandsLength > 0)
        {
            setCommands(slot, commands, commandsOffset, commandsLength);
            instances.commandsJournaled[slot] = true;
        }
        instances.deps[slot].copyFrom(deps, depsCount);
        instances.seq[slot] = seq;
        instances.fastQuorum[slot] = fastQuorum;
        instances.promisedBallot[slot] = promisedBallot;
        instances.acceptedBallot[slot] = acceptedBallot;
        if (Dot.replica(dot) == self)
        {
            nextInstance = Math.max(nextInstance, Dot.instance(dot) + 1);
        }
        if (status >= DependencyInstances.COMMITTED)
        {
            decide(slot, false, false);
        }
        else if (status == DependencyInstances.PRE_ACCEPTED || status == DependencyInstances.ACCEPTED)
        {
            trackUndecided(slot);
            instances.status[slot] = status;
            conflicts.onPending(dot, instances.keys[slot], seq);
        }
    }

    // ------------------------------------------------------------- validation

    /** Rejects what a correct peer never sends: impossible dots, dependencies on itself. */
    boolean validInput(final long dot, final long[] deps, final int depsCount)
    {
        if (!validDot(dot))
        {
            return false;
        }
        for (int i = 0; i < depsCount; i++)
        {
            if (!validDot(deps[i]) || deps[i] == dot)
            {
                return false;
            }
        }
        return true;
    }

    boolean validDot(final long dot)
    {
        return Dot.replica(dot) < replicaCount && Dot.instance(dot) > 0;
    }

    // ------------------------------------------------------------ inspection

    /** The status of {@code dot} here: 0 none, 1 pre-accepted, 2 accepted, 3 committed, 4 executed. */
    public int statusOf(final long dot)
    {
        return knownStatus(dot);
    }

    public int replicaId()
    {
        return self;
    }

    /** Starts recovering {@code dot} now, as its timeout would (scenario tests drive recovery step by step). */
    void startRecovery(final long dot)
    {
        recovery.start(dot);
    }

    /** Instances held in the tables right now (decided ones are dropped once executed everywhere). */
    public int instanceCount()
    {
        return instances.slots.size();
    }

    public int instanceCapacity()
    {
        return instances.slots.capacity();
    }

    public int conflictKeyCount()
    {
        return conflicts.keyCount();
    }
}
