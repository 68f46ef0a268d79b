package io.roundtable.protocol.dependency;

import io.roundtable.command.CommandBatchReader;
import io.roundtable.conflict.ConflictIndex;
import io.roundtable.protocol.Ballot;
import io.roundtable.protocol.Dot;
import io.roundtable.protocol.DotSet;
import io.roundtable.protocol.InstanceSlots;
import io.roundtable.protocol.CommitSink;
import io.roundtable.protocol.JournalSink;
import io.roundtable.protocol.PeerRanking;
import io.roundtable.protocol.Outbox;
import io.roundtable.protocol.ProtocolCounters;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;


/**
 * What an EPaxos and an Atlas replica share around their message flows: the instance tables, conflict index,
 * publisher, journal and collector; the acceptor's gates (malformed input counted and dropped, forgotten instances
 * ignored, decided ones answered with their Commit, stale ballots Nacked); recording and journaling a vote; deciding;
 * replay of journaled states; checkpoints; validation. The protocol's core keeps only what differs: how a vote's
 * attributes are computed, the coordinator's phases, and recovery.
 *
 * <p>Atlas carries no sequence number: its instances keep seq 0 everywhere, so the shared code passes
 * {@code instances.seq[slot]} through unchanged for both. Pure and single-threaded, like the cores that own it.
 */
public final class DependencyReplica
{
    private static final int CHECKPOINT_STATE_VERSION = 1;
    private static final int CHECKPOINT_HEADER = Integer.BYTES + Long.BYTES;

    public final int self;
    public final int replicaCount;
    public final int epoch;
    public final int fastQuorumSize;
    public final int slowQuorumSize;
    public final long phaseTimeoutNs;
    /** Peers fastest first (see {@link PeerRanking}): thrifty phases ask the first ones. A live view. */
    public final int[] peers;
    /** Who thrifty phases ask, re-ranked by measured reply times. */
    public final PeerRanking ranking;
    /** This replica's ballot for the instances it proposes. */
    public final long initialBallot;
    /** EPaxos after amnesia: casts no vote and only learns decisions (always false for Atlas). */
    public final boolean learnerOnly;
    public final ProtocolCounters counters = new ProtocolCounters();
    public final DependencyInstances instances;
    public final ConflictIndex conflicts = new ConflictIndex();
    public final DependencyPublisher publisher;
    public final DependencyJournal journal;
    public final CommandBatchReader batchReader = new CommandBatchReader();
    /** Scratch view over an instance's stored commands, rewrapped before every use. */
    public final UnsafeBuffer commandsView = new UnsafeBuffer(0, 0);
    private final String protocolName;
    private final CommitSink commitSink;
    private PhaseRetransmitter coordinator;
    private DependencyRecovery recovery;
    private final DependencyMessageAdapter adapter;
    private final DependencyCollector collector;
    private final DependencyReplayer replayer = new DependencyReplayer(this::restore);
    private final LongArrayList undecided = new LongArrayList();
    private final int[] onePeer = new int[1];
    private long nextInstance = 1;
    private long nowNs;

    /** Call {@link #drive} before use: the protocol's coordinator and recovery are built on this replica. */
    public DependencyReplica(
        final DependencyConfig<?> config, final boolean learnerOnly, final DependencyHandler handler,
        final Outbox outbox, final JournalSink journalSink, final CommitSink commitSink)
    {
        config.requireConcluded();
        this.self = config.replicaId();
        this.replicaCount = config.replicaCount();
        this.epoch = config.epoch();
        this.fastQuorumSize = config.fastQuorum();
        this.slowQuorumSize = config.slowQuorum();
        this.phaseTimeoutNs = config.phaseTimeoutNs();
        this.ranking = new PeerRanking(self, config.peerPreferenceArray(), fastQuorumSize - 1);
        this.peers = ranking.peers();
        this.initialBallot = Ballot.initial(epoch, self);
        this.learnerOnly = learnerOnly;
        this.protocolName = config.protocolName();
        this.commitSink = commitSink;
        this.instances = new DependencyInstances(config.initialCapacity());
        this.publisher = new DependencyPublisher(outbox, counters);
        this.publisher.collectedInstances(this::isCollected);
        this.journal = new DependencyJournal(journalSink, instances);
        this.adapter = new DependencyMessageAdapter(handler, replicaCount);
        this.collector = new DependencyCollector(self, replicaCount, phaseTimeoutNs, instances, conflicts,
            publisher, counters, this::onDecided);
    }

    /** Wires the protocol's coordinator and recovery, which this replica ticks and tells of decisions. */
    public void drive(final PhaseRetransmitter coordinator, final DependencyRecovery recovery)
    {
        this.coordinator = coordinator;
        this.recovery = recovery;
    }

    private void onDecided(final long dot)
    {
        recovery.onDecided(dot);
    }

    // ---------------------------------------------------------------- inputs

    /** Validates a client batch and opens this replica's next instance for it. */
    public int newInstance(final DirectBuffer commandBatch, final int offset, final int length)
    {
        if (!batchReader.isValid(commandBatch, offset, length) || batchReader.commandCount(commandBatch, offset) == 0)
        {
            throw new IllegalArgumentException("not an encoded, non-empty CommandBatch (use CommandBatchWriter)");
        }
        final long dot = Dot.of(self, nextInstance++);
        final int slot = instances.getOrCreate(dot);
        setCommands(slot, commandBatch, offset, length);
        counters.proposed++;
        return slot;
    }

    public void onMessage(final int fromReplica, final DirectBuffer buffer, final int offset, final int length)
    {
        if (counters.countInbound(fromReplica, replicaCount, self))
        {
            adapter.onMessage(fromReplica, buffer, offset, length);
        }
    }

    /** Stalled phases first, then recovery's timers, then the collector's. */
    public void onTick(final long nowNs)
    {
        this.nowNs = nowNs;
        ranking.onTick(nowNs);
        counters.thriftyReranks = ranking.reranks();
        coordinator.retransmitStalledPhases();
        recovery.onTick(nowNs, undecided);
        collector.onTick(nowNs);
    }

    public long nowNs()
    {
        return nowNs;
    }

    public void onProgress(final int replica, final int origin, final long upTo)
    {
        collector.onProgress(replica, origin, upTo);
    }

    /** Executed at every replica and forgotten here: nothing said about it can change anything. */
    public boolean isCollected(final long dot)
    {
        return collector.isCollected(dot);
    }

    public void replay(final DirectBuffer record, final int offset, final int length)
    {
        replayer.replay(record, offset, length);
    }

    /** The executor waits on {@code dot}: unless something here settles it, the protocol's recovery looks at it. */
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

    // ------------------------------------------------------------ checkpoint

    /** Layout: version (int), next instance (long), then the collector's per-origin executed/collected prefixes. */
    public int snapshotState(final MutableDirectBuffer out, final int offset)
    {
        out.putInt(offset, CHECKPOINT_STATE_VERSION);
        out.putLong(offset + Integer.BYTES, nextInstance);
        return CHECKPOINT_HEADER + collector.snapshot(out, offset + CHECKPOINT_HEADER);
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
        if (length != CHECKPOINT_HEADER + DependencyCollector.snapshotLength(replicaCount) ||
            state.getInt(offset) != CHECKPOINT_STATE_VERSION)
        {
            throw new IllegalArgumentException("not an " + protocolName + " checkpoint state for " + replicaCount +
                " replicas: " + length + " bytes, version " + (length >= Integer.BYTES ? state.getInt(offset) : -1));
        }
        if (instances.slots.size() != 0)
        {
            throw new IllegalStateException("restore the checkpoint state before any instance");
        }
        nextInstance = Math.max(nextInstance, state.getLong(offset + Integer.BYTES));
        collector.restore(state, offset + CHECKPOINT_HEADER);
    }

    /** This replica and the peers a thrifty collect or PreAccept asks now. */
    public long thriftyFastQuorumMask()
    {
        return ranking.thriftyQuorumMask();
    }

    /**
     * Records {@code from}'s reply to the phase {@code slot} leads (false if it already replied) and, unless the phase
     * was widened by a resend (a late reply to the first send would then look fast), how long it took, for the
     * ranking of peers.
     */
    public boolean recordReply(final int slot, final int from)
    {
        if (!instances.recordReply(slot, from))
        {
            return false;
        }
        if (!instances.widened[slot])
        {
            ranking.onReply(from, nowNs - instances.phaseStartNs[slot]);
        }
        return true;
    }

    /**
     * Resends the phase this replica leads in {@code slot} (its PreAccept/collect or its Accept, at the promised
     * ballot) to every peer that has not replied in it: a stalled phase's widening, or making up for lost messages.
     */
    public void resendToSilentPeers(final int slot)
    {
        final long dot = instances.slots.dotAt(slot);
        final long askedSilent = instances.status[slot] == DependencyInstances.PRE_ACCEPTED ?
            instances.fastQuorum[slot] & ~instances.replyMask[slot] : 0;
        instances.wrapCommands(slot, commandsView);
        for (final int peer : peers)
        {
            if ((instances.replyMask[slot] & (1L << peer)) != 0)
            {
                continue;
            }
            if ((askedSilent & (1L << peer)) != 0)
            {
                ranking.onNoReply(peer, phaseTimeoutNs);
            }
            onePeer[0] = peer;
            if (instances.status[slot] == DependencyInstances.PRE_ACCEPTED)
            {
                publisher.preAccept(onePeer, 1, instances.promisedBallot[slot], dot, instances.seq[slot],
                    instances.fastQuorum[slot], instances.deps[slot], commandsView, instances.commandsLength[slot]);
            }
            else
            {
                publisher.accept(onePeer, 1, instances.promisedBallot[slot], dot, instances.seq[slot],
                    instances.deps[slot], commandsView, instances.commandsLength[slot]);
            }
        }
    }

    // ---------------------------------------------------------------- acceptor

    /**
     * The common gate of every message asking for a vote: malformed input is counted and dropped, forgotten
     * instances are ignored, decided ones answer with their Commit, a learner stays silent, lower ballots get a Nack.
     *
     * @return the instance's slot, or {@link InstanceSlots#NO_SLOT} when the message has been dealt with.
     */
    public int slotForVote(
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
        return admitBallot(from, ballot, dot, false);
    }

    /**
     * The gate of a Prepare (MRec): as {@link #slotForVote}, except that the ballot must be above the promised one
     * (a recovery ballot is promised once) and the commands, which EPaxos never sends, may be absent.
     */
    public int slotForPrepare(
        final int from, final long ballot, final long dot,
        final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        if (!validDot(dot) || (commandsLength > 0 && !batchReader.isValid(commands, commandsOffset, commandsLength)))
        {
            counters.malformedDropped++;
            return InstanceSlots.NO_SLOT;
        }
        if (isCollected(dot))
        {
            return InstanceSlots.NO_SLOT;
        }
        return admitBallot(from, ballot, dot, true);
    }

    /**
     * The part of both gates after validation: a decided instance answers with its Commit, a learner stays silent,
     * a ballot below the promised one (or not above it, for a Prepare) gets a Nack.
     */
    private int admitBallot(final int from, final long ballot, final long dot, final boolean abovePromise)
    {
        final int slot = instances.getOrCreate(dot);
        if (answeredAsDecided(slot, from) || learnerOnly)
        {
            return InstanceSlots.NO_SLOT;
        }
        final long promised = instances.promisedBallot[slot];
        if (ballot < promised || (abovePromise && ballot == promised))
        {
            publisher.nack(from, ballot, dot, promised);
            return InstanceSlots.NO_SLOT;
        }
        return slot;
    }

    /** The PrepareOk for a promise just journaled: everything this replica holds of the instance, commands too. */
    public void prepareOk(final int to, final long ballot, final int slot)
    {
        instances.wrapCommands(slot, commandsView);
        publisher.prepareOk(to, ballot, instances.slots.dotAt(slot), instances.status[slot],
            instances.acceptedBallot[slot], instances.seq[slot], instances.fastQuorum[slot], instances.deps[slot],
            commandsView, instances.commandsLength[slot]);
    }

    /** An Accept (MConsensus): adopt the leader's attributes at its ballot, journal the vote, then AcceptOk. */
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

    /** A Commit from the instance's leader (or a catch-up resend): adopt and decide, once. */
    public void onCommit(
        final long dot, final int seq, final long[] deps, final int depsCount,
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

    /** Records and journals this replica's vote for the instance's current attributes at {@code ballot}. */
    public void setVote(final int slot, final byte status, final long ballot)
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

    /**
     * The attributes in {@code slot} are chosen. Journal them, broadcast the Commit if this replica led the
     * decision, then hand them to the executor: the Commit leaves before local execution can start (PROTOCOLS.md
     * pitfall 3).
     */
    public void decide(final int slot, final boolean asLeader)
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
        counters.dependencies += deps.size();
        counters.dependenciesMax = Math.max(counters.dependenciesMax, deps.size());
        recovery.onDecided(dot);
        commitSink.onCommit(dot, instances.seq[slot], deps.array(), deps.size());
    }

    /** Stores an instance's commands and derives its keys, withdrawing a pending registration under old keys. */
    public void setCommands(final int slot, final DirectBuffer commands, final int offset, final int length)
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
    private void restore(
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
    public boolean validInput(final long dot, final long[] deps, final int depsCount)
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

    public boolean validDot(final long dot)
    {
        return Dot.replica(dot) < replicaCount && Dot.instance(dot) > 0;
    }

    /** {@link #validInput}, counting what fails it as malformed. */
    public boolean acceptInput(final long dot, final long[] deps, final int depsCount)
    {
        if (validInput(dot, deps, depsCount))
        {
            return true;
        }
        counters.malformedDropped++;
        return false;
    }

    /** {@link #validDot}, counting what fails it as malformed. */
    public boolean acceptDot(final long dot)
    {
        if (validDot(dot))
        {
            return true;
        }
        counters.malformedDropped++;
        return false;
    }

    /** A PrepareOk's gate: a valid instance and dependencies, and commands (if any) that form a valid batch. */
    public boolean acceptPrepareOk(
        final long dot, final long[] deps, final int depsCount,
        final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        if (!validInput(dot, deps, depsCount) ||
            (commandsLength > 0 && !batchReader.isValid(commands, commandsOffset, commandsLength)))
        {
            counters.malformedDropped++;
            return false;
        }
        return true;
    }

    // ------------------------------------------------------------ inspection

    /** The status of {@code dot} here: 0 none, 1 pre-accepted, 2 accepted, 3 committed, 4 executed. */
    public byte knownStatus(final long dot)
    {
        if (isCollected(dot))
        {
            return DependencyInstances.EXECUTED;
        }
        final int slot = instances.slotOf(dot);
        return slot == InstanceSlots.NO_SLOT ? DependencyInstances.NONE : instances.status[slot];
    }

    public int instanceCount()
    {
        return instances.slots.size();
    }
}
