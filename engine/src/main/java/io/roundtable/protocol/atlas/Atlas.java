package io.roundtable.protocol.atlas;

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
 * Atlas (Enes et al., EuroSys'20): leaderless SMR over a dependency graph, tolerating a configured f of N = 2F+1
 * replicas. The coordinator collects dependencies from a thrifty fast quorum of ⌊N/2⌋+f (MCollect); if every
 * dependency was reported by f of the others (the coordinator counted as the union, {@link
 * io.roundtable.protocol.ThresholdUnion}), the union commits at once, otherwise a single-decree consensus with f+1
 * acceptors fixes it. Replicas without a decision recover it with an N−f quorum ({@link AtlasRecovery}). Execution is
 * the {@code GraphExecutor}'s, every instance with seq 0, so a strongly connected component runs in dot order.
 *
 * <p>Atlas uses EPaxos's messages one to one (design note §1.7): MCollect = PreAccept, MCollectAck = PreAcceptOk (its
 * per-dependency committed flags unused), MConsensus = Accept, MConsensusAck = AcceptOk, MCommit = Commit, MRec =
 * Prepare carrying the recoverer's copy of the command, MRecAck = PrepareOk; journal records are InstanceRecords.
 *
 * <p>Status per instance: PRE_ACCEPTED at the owner's initial ballot is a collect vote (the paper's
 * {@code recover-p}); PRE_ACCEPTED at a higher ballot is a vote computed for a recovery ({@code recover-r});
 * promised and accepted ballots are kept apart and both journaled (PROTOCOLS.md pitfall 1). Pure: see
 * {@link Protocol}.
 */
public final class Atlas implements Protocol, DependencyHandler
{
    private static final int CHECKPOINT_STATE_VERSION = 1;

    final int self;
    final int replicaCount;
    final int faults;
    final int fastQuorumSize;
    final int slowQuorumSize;
    final int recoveryQuorumSize;
    final int majority;
    final long phaseTimeoutNs;
    final int[] peers;
    final int epoch;
    final long initialBallot;
    final long thriftyFastQuorumMask;
    final CommitSink commitSink;
    final ProtocolCounters counters = new ProtocolCounters();
    final DependencyInstances instances;
    final ConflictIndex conflicts = new ConflictIndex();
    final DependencyPublisher publisher;
    final DependencyJournal journal;
    final CommandBatchReader batchReader = new CommandBatchReader();
    final UnsafeBuffer commandsView = new UnsafeBuffer(0, 0);
    private final DependencyMessageAdapter adapter;
    private final DependencyReplayer replayer = new DependencyReplayer(this::restore);
    private final AtlasCoordinator coordinator;
    private final AtlasRecovery recovery;
    private final DependencyCollector collector;
    private final LongArrayList undecided = new LongArrayList();
    private long nextInstance = 1;
    long nowNs;

    public Atlas(
        final AtlasConfig config, final Outbox outbox, final JournalSink journalSink, final CommitSink commitSink)
    {
        config.requireConcluded();
        this.self = config.replicaId();
        this.replicaCount = config.replicaCount();
        this.faults = config.faults();
        this.fastQuorumSize = config.fastQuorum();
        this.slowQuorumSize = config.slowQuorum();
        this.recoveryQuorumSize = config.recoveryQuorum();
        this.majority = config.majority();
        this.phaseTimeoutNs = config.phaseTimeoutNs();
        this.peers = config.peerPreferenceArray();
        this.epoch = config.epoch();
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
        this.coordinator = new AtlasCoordinator(this);
        this.recovery = new AtlasRecovery(this, config);
        this.collector = new DependencyCollector(self, replicaCount, phaseTimeoutNs, instances, conflicts, publisher,
            counters, recovery::onDecided);
    }

    public long submit(final DirectBuffer commandBatch, final int offset, final int length)
    {
        if (!batchReader.isValid(commandBatch, offset, length) || batchReader.commandCount(commandBatch, offset) == 0)
        {
            throw new IllegalArgumentException("not an encoded, non-empty CommandBatch (use CommandBatchWriter)");
        }
        final long dot = Dot.of(self, nextInstance++);
        final int slot = instances.getOrCreate(dot);
        setCommands(slot, commandBatch, offset, length);
        counters.proposed++;
        coordinator.startCollect(slot);
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
            throw new IllegalArgumentException("not an Atlas checkpoint state for " + replicaCount + " replicas: " +
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

    /**
     * MCollect at a fast-quorum member (or, after the coordinator widened, at any replica): dependencies = the
     * coordinator's past ∪ this replica's conflicts, journaled before the MCollectAck. Only the owner's initial ballot
     * is valid, and a replica that promised a recovery ballot ignores it ({@link #slotForVote}'s Nack): recovery's
     * "Property 2" counts only MCollectAcks produced before any recovery ballot.
     */
    public void onPreAccept(
        final int from, final long ballot, final long dot, final int seq, final long fastQuorum, final long[] deps,
        final int depsCount, final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        if (validDot(dot) && ballot != Ballot.initial(epoch, Dot.replica(dot)))
        {
            counters.malformedDropped++;
            return;
        }
        final int slot = slotForVote(from, ballot, dot, deps, depsCount, commands, commandsOffset, commandsLength);
        if (slot == InstanceSlots.NO_SLOT)
        {
            return;
        }
        final byte status = instances.status[slot];
        if (status == DependencyInstances.PRE_ACCEPTED && instances.acceptedBallot[slot] == ballot)
        {
            // a duplicate: repeat the vote already journaled rather than vote again with different dependencies
            publisher.preAcceptOk(from, ballot, dot, 0, instances.deps[slot], instances);
            return;
        }
        if (status != DependencyInstances.NONE)
        {
            return; // voted in a consensus or recovery of this instance already
        }
        setCommands(slot, commands, commandsOffset, commandsLength);
        final DotSet localDeps = instances.deps[slot];
        localDeps.copyFrom(deps, depsCount);
        conflicts.collect(instances.keys[slot], dot, localDeps);
        instances.seq[slot] = 0;
        instances.fastQuorum[slot] = fastQuorum;
        setVote(slot, DependencyInstances.PRE_ACCEPTED, ballot);
        publisher.preAcceptOk(from, ballot, dot, 0, localDeps, instances);
    }

    /** MConsensus: accept iff the ballot is at least the promised one; journal, then MConsensusAck. */
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
        instances.seq[slot] = 0;
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
        instances.seq[slot] = 0;
        decide(slot, false);
    }

    /**
     * MRec: promise the recovery ballot. A replica holding the command (its own copy, or the one the MRec carries)
     * that has not voted computes its dependencies now and votes at the recovery ballot ({@code recover-r}); one that
     * voted keeps its vote. Journaled before the MRecAck, which always carries the commands held (an accepted value
     * may be a recovery's no-op, so the recoverer cannot assume its own copy).
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
        if (answeredAsDecided(slot, from))
        {
            return;
        }
        if (ballot <= instances.promisedBallot[slot])
        {
            publisher.nack(from, ballot, dot, instances.promisedBallot[slot]);
            return;
        }
        promiseRecovery(slot, ballot, commands, commandsOffset, commandsLength);
        instances.wrapCommands(slot, commandsView);
        publisher.prepareOk(from, ballot, dot, instances.status[slot], instances.acceptedBallot[slot], 0,
            instances.fastQuorum[slot], instances.deps[slot], commandsView, instances.commandsLength[slot]);
    }

    /** The acceptor half of MRec, for a peer's MRec and for the recoverer's own reply alike; journals. */
    void promiseRecovery(
        final int slot, final long ballot, final DirectBuffer commands, final int commandsOffset,
        final int commandsLength)
    {
        instances.leading[slot] = false;
        if (instances.status[slot] == DependencyInstances.NONE)
        {
            if (instances.commandsLength[slot] == 0 && commandsLength > 0)
            {
                setCommands(slot, commands, commandsOffset, commandsLength);
            }
            if (instances.commandsLength[slot] > 0)
            {
                final DotSet deps = instances.deps[slot];
                deps.clear();
                conflicts.collect(instances.keys[slot], instances.slots.dotAt(slot), deps);
                instances.seq[slot] = 0;
                instances.fastQuorum[slot] = 0;
                setVote(slot, DependencyInstances.PRE_ACCEPTED, ballot);
                return;
            }
        }
        instances.promisedBallot[slot] = ballot;
        journal.record(slot);
    }

    /**
     * The common gate of every message asking for a vote: malformed input is counted and dropped, forgotten
     * instances are ignored, decided ones answer with their Commit, lower ballots get a Nack.
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
        if (answeredAsDecided(slot, from))
        {
            return InstanceSlots.NO_SLOT;
        }
        if (ballot < instances.promisedBallot[slot])
        {
            publisher.nack(from, ballot, dot, instances.promisedBallot[slot]);
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
        publisher.commitTo(from, instances.promisedBallot[slot], instances.slots.dotAt(slot), 0,
            instances.deps[slot], commandsView, instances.commandsLength[slot]);
        return true;
    }

    /** Records and journals this replica's vote for the instance's current dependencies at {@code ballot}. */
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
        conflicts.onPending(instances.slots.dotAt(slot), instances.keys[slot], 0);
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
        coordinator.onCollectAck(from, ballot, dot, deps, depsCount);
    }

    public void onAcceptOk(final int from, final long ballot, final long dot)
    {
        if (!validDot(dot))
        {
            counters.malformedDropped++;
            return;
        }
        coordinator.onConsensusAck(from, ballot, dot);
    }

    public void onNack(final int from, final long ballot, final long dot, final long promisedBallot)
    {
        if (!validDot(dot))
        {
            counters.malformedDropped++;
            return;
        }
        final int slot = instances.slotOf(dot);
        if (slot != InstanceSlots.NO_SLOT && instances.status[slot] < DependencyInstances.COMMITTED &&
            promisedBallot > instances.promisedBallot[slot])
        {
            // someone recovers this instance with a higher ballot: stop leading it, and start any later recovery
            // above that ballot (remembered, not journaled: it is no promise of ours)
            instances.promisedBallot[slot] = promisedBallot;
            instances.leading[slot] = false;
        }
        recovery.onNack(ballot, dot);
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
        recovery.onPrepareOk(from, ballot, dot, status, acceptedBallot, fastQuorum, deps, depsCount,
            commands, commandsOffset, commandsLength);
    }

    /** EPaxos's TryPreAccept has no place in Atlas: its recovery is a single round. */
    public void onTryPreAccept(
        final int from, final long ballot, final long dot, final int seq, final long fastQuorum, final long[] deps,
        final int depsCount, final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        counters.malformedDropped++;
    }

    public void onTryPreAcceptReply(
        final int from, final long ballot, final long dot, final boolean ok, final long conflictDot,
        final byte conflictStatus)
    {
        counters.malformedDropped++;
    }

    public void onUnexpected(final int from, final int templateId)
    {
        counters.malformedDropped++;
    }

    void startAccept(final int slot, final long ballot, final boolean thrifty)
    {
        coordinator.startAccept(slot, ballot, thrifty);
    }

    /**
     * The dependencies in {@code slot} are chosen. Journal them, broadcast the Commit if this replica led the
     * decision, then hand them to the executor: the Commit leaves before local execution (PROTOCOLS.md pitfall 3).
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
            publisher.commitToAll(instances.promisedBallot[slot], dot, 0, deps, commandsView,
                instances.commandsLength[slot]);
        }
        if (previous == DependencyInstances.NONE)
        {
            instances.undecidedSinceNs[slot] = nowNs;
        }
        conflicts.onCommitted(dot, instances.keys[slot], 0, deps.array(), deps.size());
        counters.committed++;
        recovery.onDecided(dot);
        commitSink.onCommit(dot, 0, deps.array(), deps.size());
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

    /** Called by {@link DependencyReplayer} for each journaled state, in journal order; sends and journals nothing. */
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
        instances.seq[slot] = 0;
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
            conflicts.onPending(dot, instances.keys[slot], 0);
        }
        else
        {
            instances.status[slot] = DependencyInstances.NONE;
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
        if (isCollected(dot))
        {
            return DependencyInstances.EXECUTED;
        }
        final int slot = instances.slotOf(dot);
        return slot == InstanceSlots.NO_SLOT ? DependencyInstances.NONE : instances.status[slot];
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

    public int instanceCount()
    {
        return instances.slots.size();
    }
}
