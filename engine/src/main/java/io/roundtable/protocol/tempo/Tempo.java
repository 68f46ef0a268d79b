package io.roundtable.protocol.tempo;

import io.roundtable.command.CommandBatchReader;
import io.roundtable.command.KeySet;
import io.roundtable.protocol.Ballot;
import io.roundtable.protocol.Dot;
import io.roundtable.protocol.InstanceSlots;
import io.roundtable.protocol.JournalSink;
import io.roundtable.protocol.Outbox;
import io.roundtable.protocol.Protocol;
import io.roundtable.protocol.PeerRanking;
import io.roundtable.protocol.ProtocolCounters;
import io.roundtable.protocol.QuorumSizes;
import io.roundtable.protocol.TimestampSink;
import io.roundtable.protocol.progress.ProgressCollector;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Tempo (Enes et al., EuroSys'21): leaderless SMR that orders commands by timestamps instead of dependencies.
 * <ul>
 * <li>Each replica keeps a clock per key ({@link KeyClocks}). A proposal for a command is above every clock of its
 * keys (and at acceptors at least the coordinator's proposal); it raises those clocks, and the values it skips over
 * are this replica's <em>attached</em> promises to the command. Bumps after a commit are <em>detached</em>.</li>
 * <li>The coordinator sends its proposal to the thrifty fast quorum of ⌊N/2⌋+f replicas (itself included); the
 * timestamp is the max of their proposals. It commits on the fast path iff that max was proposed by at least f+1 of
 * them, the coordinator counted as one (the Tempo paper's "proposed by at least f replicas" counts the coordinator only
 * when its own proposal is the max; the two agree, because every acceptor proposes at least the coordinator's
 * value). Otherwise single-decree consensus on the timestamp with f+1 acceptors (Flexible Paxos: recovery uses
 * N−f).</li>
 * <li>Promises travel as cumulative per-key snapshots ({@link TempoPromisesSender}); a key is stable up to t once a
 * majority promised every value up to t, counting an attached promise only once its command committed here
 * ({@link PromiseTable}). The executor ({@code TimestampExecutor}) runs each command once it is stable on all its keys,
 * in (timestamp, dot) order.</li>
 * <li>A crashed coordinator's commands are recovered at a higher ballot with N−f replies ({@link TempoRecovery}).</li>
 * </ul>
 * Pure: see {@link Protocol}.
 */
public final class Tempo implements Protocol, TempoHandler, PromiseTable.CommitView
{
    /** 2: the key clocks carry their floor (reclaimed keys). */
    private static final int CHECKPOINT_STATE_VERSION = 2;
    private static final int INITIAL_CAPACITY = 1024;

    final int self;
    final int replicaCount;
    final int faults;
    final int fastQuorumSize;
    final int slowQuorumSize;
    final int majority;
    final int recoveryQuorumSize;
    final long phaseTimeoutNs;
    final int[] peers;
    /** Who thrifty phases ask, re-ranked by measured reply times; {@link #peers} is its live order. */
    final PeerRanking ranking;
    final TimestampSink sink;
    final ProtocolCounters counters;
    final TempoInstances instances = new TempoInstances(INITIAL_CAPACITY);
    final KeyClocks clocks = new KeyClocks();
    final PromiseTable promises;
    final TempoPublisher publisher;
    final TempoJournal journal;
    final TempoPromisesSender promisesSender;
    final CommandBatchReader batchReader = new CommandBatchReader();
    final UnsafeBuffer commandsView = new UnsafeBuffer(0, 0);
    private long[] scratchKeys = new long[64];
    private long[] scratchVoteFrom = new long[64];
    private final TempoMessageAdapter adapter;
    private final TempoReplayer replayer = new TempoReplayer(this);
    private final TempoCoordinator coordinator;
    private final TempoRecovery recovery;
    private final ProgressCollector collector;
    private final KeyReclaimer reclaimer;
    private final LongArrayList undecided = new LongArrayList();
    private long nextInstance = 1;
    private boolean ticked;
    /** Replayed or restored, not yet resumed: see {@link #resumeAfterReplay()}. */
    private boolean replayed;
    long nowNs;

    public Tempo(
        final int self, final int replicaCount, final int faults, final int[] peersByPreference,
        final long phaseTimeoutNs, final Outbox outbox, final JournalSink journalSink, final TimestampSink sink,
        final ProtocolCounters counters)
    {
        QuorumSizes.requireReplicaCount(replicaCount);
        QuorumSizes.requireFaultThreshold(replicaCount, faults);
        if (peersByPreference.length != replicaCount - 1)
        {
            throw new IllegalArgumentException("peersByPreference must list the other " + (replicaCount - 1) +
                " replicas, got " + peersByPreference.length);
        }
        if (replicaCount > Long.SIZE)
        {
            throw new IllegalArgumentException("fast quorum masks are 64-bit: at most 64 replicas, got " + replicaCount);
        }
        this.self = self;
        this.replicaCount = replicaCount;
        this.faults = faults;
        this.fastQuorumSize = QuorumSizes.atlasFastQuorum(replicaCount, faults);
        this.slowQuorumSize = faults + 1;
        this.majority = replicaCount / 2 + 1;
        this.recoveryQuorumSize = replicaCount - faults;
        this.phaseTimeoutNs = phaseTimeoutNs;
        this.ranking = new PeerRanking(self, peersByPreference, fastQuorumSize - 1);
        this.peers = ranking.peers();
        this.sink = sink;
        this.counters = counters;
        this.promises = new PromiseTable(replicaCount, this, sink);
        this.publisher = new TempoPublisher(outbox, counters);
        this.journal = new TempoJournal(journalSink, instances);
        this.collector = new ProgressCollector(self, replicaCount, replicaCount, phaseTimeoutNs,
            new TempoCollectable(this), counters);
        this.promisesSender = new TempoPromisesSender(self, replicaCount, clocks, promises, publisher, collector,
            Math.max(1, phaseTimeoutNs / 4));
        this.adapter = new TempoMessageAdapter(this, replicaCount);
        this.coordinator = new TempoCoordinator(this);
        this.recovery = new TempoRecovery(this, 4 * phaseTimeoutNs, 0x5DEECE66DL * 31 + self);
        this.reclaimer = new KeyReclaimer(clocks, promises, promisesSender, sink, phaseTimeoutNs);
    }

    public long submit(final DirectBuffer commandBatch, final int offset, final int length)
    {
        if (!batchReader.isValid(commandBatch, offset, length) || batchReader.commandCount(commandBatch, offset) == 0)
        {
            throw new IllegalArgumentException("not an encoded, non-empty CommandBatch (use CommandBatchWriter)");
        }
        resumeAfterReplay();
        final long dot = Dot.of(self, nextInstance++);
        final int slot = instances.getOrCreate(dot);
        setCommands(slot, commandBatch, offset, length);
        counters.proposed++;
        coordinator.propose(slot);
        return dot;
    }

    public void onMessage(final int fromReplica, final DirectBuffer buffer, final int offset, final int length)
    {
        if (counters.countInbound(fromReplica, replicaCount, self))
        {
            resumeAfterReplay();
            adapter.onMessage(fromReplica, buffer, offset, length);
        }
    }

    /** Sends the snapshots of the keys whose clocks this input moved, rather than waiting for the next tick. */
    public void endOfInput()
    {
        if (ticked)
        {
            promisesSender.sendChanged();
        }
    }

    public void onTick(final long nowNs)
    {
        this.nowNs = nowNs;
        resumeAfterReplay();
        if (!ticked)
        {
            ticked = true;
            promisesSender.sendAllNext();
        }
        promisesSender.onTick(nowNs);
        ranking.onTick(nowNs);
        counters.thriftyReranks = ranking.reranks();
        coordinator.retransmitStalledPhases();
        recovery.onTick(nowNs, undecided);
        collector.onTick(nowNs);
        reclaimer.onTick(nowNs);
    }

    /**
     * Once, after a replay or a checkpoint restore and before anything else: the clocks' floor goes up to every value
     * the replayed rows hold (a replay without a checkpoint brings back the rows of keys reclaimed before the restart,
     * so the floor is back at least where it was), and every restored row becomes a reclaim candidate.
     */
    private void resumeAfterReplay()
    {
        if (replayed)
        {
            replayed = false;
            clocks.raiseFloorToHighest();
            for (int i = 0, n = clocks.keyCount(); i < n; i++)
            {
                reclaimer.candidate(clocks.keyAt(i), nowNs);
            }
        }
    }

    public void replay(final DirectBuffer record, final int offset, final int length)
    {
        replayed = true;
        replayer.replay(record, offset, length);
    }

    /** The timestamp executor waits on nothing a dot's recovery could fix: promises are refreshed instead. */
    public void onMissingDependency(final long dot)
    {
    }

    public boolean wrapCommands(final long dot, final UnsafeBuffer view)
    {
        final int slot = instances.slotOf(dot);
        if (slot == InstanceSlots.NO_SLOT || instances.status[slot] < TempoInstances.COMMITTED)
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
        if (instances.status[slot] == TempoInstances.COMMITTED && instances.keys[slot].count() > 0 &&
            instances.committedAtNs[slot] > 0)
        {
            final long waitNs = Math.max(0, nowNs - instances.committedAtNs[slot]);
            counters.stabilityWaits++;
            counters.stabilityWaitNs += waitNs;
            counters.stabilityWaitMaxNs = Math.max(counters.stabilityWaitMaxNs, waitNs);
        }
        instances.status[slot] = TempoInstances.EXECUTED;
        collector.onExecuted(dot);
    }

    public ProtocolCounters counters()
    {
        return counters;
    }

    // ------------------------------------------------------------ checkpoint

    /** Layout: version (int), next instance (long), the collector's prefixes, then the key clocks. */
    public int snapshotState(final MutableDirectBuffer out, final int offset)
    {
        out.putInt(offset, CHECKPOINT_STATE_VERSION);
        out.putLong(offset + Integer.BYTES, nextInstance);
        int position = offset + Integer.BYTES + Long.BYTES;
        position += collector.snapshot(out, position);
        position += clocks.snapshot(out, position);
        return position - offset;
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
        final int collectorLength = ProgressCollector.snapshotLength(replicaCount);
        if (length < header + collectorLength + Integer.BYTES || state.getInt(offset) != CHECKPOINT_STATE_VERSION)
        {
            throw new IllegalArgumentException("not a Tempo checkpoint state for " + replicaCount + " replicas: " +
                length + " bytes");
        }
        if (instances.slots.size() != 0)
        {
            throw new IllegalStateException("restore the checkpoint state before any instance");
        }
        nextInstance = Math.max(nextInstance, state.getLong(offset + Integer.BYTES));
        replayed = true;
        collector.restore(state, offset + header);
        final int clocksAt = offset + header + collectorLength;
        final int clocksLength = clocks.restore(state, clocksAt, length - header - collectorLength);
        if (header + collectorLength + clocksLength != length)
        {
            throw new IllegalArgumentException("Tempo checkpoint state is corrupt: " + length + " bytes, " +
                (header + collectorLength + clocksLength) + " read");
        }
    }

    // ---------------------------------------------------------------- acceptor

    public void onPropose(
        final int from, final long ballot, final long dot, final long timestamp, final long fastQuorum,
        final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        if (!validDot(dot) || timestamp < 0 || !validBatch(commands, commandsOffset, commandsLength) ||
            Ballot.replica(ballot) != Dot.replica(dot) || Ballot.counter(ballot) != 0)
        {
            counters.malformedDropped++;
            return;
        }
        final int slot = slotForVote(from, ballot, dot);
        if (slot == InstanceSlots.NO_SLOT)
        {
            return;
        }
        if (instances.proposalBallot[slot] != Ballot.NONE)
        {
            if (instances.proposalBallot[slot] == ballot && instances.status[slot] == TempoInstances.PROPOSED)
            {
                publisher.proposeAck(from, ballot, dot, instances.proposal[slot]); // a duplicate: the same answer
            }
            return;
        }
        if (!instances.hasCommands(slot))
        {
            setCommands(slot, commands, commandsOffset, commandsLength);
        }
        instances.fastQuorum[slot] = fastQuorum;
        instances.promisedBallot[slot] = ballot;
        propose(slot, timestamp, ballot);
        trackUndecided(slot);
        if (instances.status[slot] == TempoInstances.NONE)
        {
            instances.status[slot] = TempoInstances.PROPOSED;
        }
        journal.record(slot);
        publisher.proposeAck(from, ballot, dot, instances.proposal[slot]);
    }

    /**
     * This replica's own proposal for the instance, at least {@code min}, made at {@code ballot}: raises the clocks of
     * its keys and records the attached promises it takes. The caller journals before anything reveals it.
     */
    void propose(final int slot, final long min, final long ballot)
    {
        final KeySet keys = instances.keys[slot];
        final int count = keys.count();
        if (scratchVoteFrom.length < count)
        {
            scratchVoteFrom = new long[Math.max(count, scratchVoteFrom.length * 2)];
            scratchKeys = new long[scratchVoteFrom.length];
        }
        final long proposal = clocks.propose(keys, min, scratchVoteFrom);
        for (int i = 0; i < count; i++)
        {
            scratchKeys[i] = keys.key(i);
        }
        instances.setVotes(slot, scratchKeys, scratchVoteFrom, count);
        instances.proposal[slot] = proposal;
        instances.proposalBallot[slot] = ballot;
        final long dot = instances.slots.dotAt(slot);
        for (int i = 0; i < count; i++)
        {
            promisesSender.onAttached(dot, scratchKeys[i], scratchVoteFrom[i]);
        }
    }

    public void onConsensus(
        final int from, final long ballot, final long dot, final long timestamp,
        final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        if (!validDot(dot) || timestamp < 0 || !validBatch(commands, commandsOffset, commandsLength))
        {
            counters.malformedDropped++;
            return;
        }
        final int slot = slotForVote(from, ballot, dot);
        if (slot == InstanceSlots.NO_SLOT)
        {
            return;
        }
        setCommands(slot, commands, commandsOffset, commandsLength);
        accept(slot, ballot, timestamp);
        publisher.consensusAck(from, ballot, dot);
    }

    /** Accepts {@code timestamp} at {@code ballot}, bumps the keys to it (detached promises) and journals. */
    void accept(final int slot, final long ballot, final long timestamp)
    {
        trackUndecided(slot);
        instances.promisedBallot[slot] = ballot;
        instances.acceptedBallot[slot] = ballot;
        instances.timestamp[slot] = timestamp;
        instances.status[slot] = TempoInstances.ACCEPTED;
        clocks.bump(instances.keys[slot], timestamp);
        journal.record(slot);
    }

    public void onCommit(
        final int from, final long ballot, final long dot, final long timestamp,
        final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        if (!validDot(dot) || timestamp < 0 || !validBatch(commands, commandsOffset, commandsLength))
        {
            counters.malformedDropped++;
            return;
        }
        if (isCollected(dot))
        {
            return;
        }
        final int slot = instances.getOrCreate(dot);
        if (instances.status[slot] >= TempoInstances.COMMITTED)
        {
            return;
        }
        setCommands(slot, commands, commandsOffset, commandsLength);
        instances.timestamp[slot] = timestamp;
        decide(slot, false, true);
    }

    public void onRecover(
        final int from, final long ballot, final long dot, final DirectBuffer commands, final int commandsOffset,
        final int commandsLength)
    {
        if (!validDot(dot) || (commandsLength > 0 && !validBatch(commands, commandsOffset, commandsLength)))
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
        recoverVote(slot, ballot, commands, commandsOffset, commandsLength);
        instances.wrapCommands(slot, commandsView);
        publisher.recoverAck(from, ballot, dot, instances.status[slot], instances.acceptedBallot[slot],
            instances.timestamp[slot], instances.proposalBallot[slot], instances.proposal[slot],
            instances.fastQuorum[slot], commandsView, instances.commandsLength[slot]);
    }

    /**
     * Promises {@code ballot} to a recoverer; a replica that holds the command but never proposed for it proposes now
     * (recover-r, at the recovery ballot), so every replier with the command has a proposal. Journals.
     */
    void recoverVote(
        final int slot, final long ballot, final DirectBuffer commands, final int commandsOffset,
        final int commandsLength)
    {
        if (!instances.hasCommands(slot) && commandsLength > 0)
        {
            setCommands(slot, commands, commandsOffset, commandsLength);
        }
        instances.promisedBallot[slot] = ballot;
        instances.leading[slot] = false;
        if (instances.hasCommands(slot) && instances.proposalBallot[slot] == Ballot.NONE &&
            instances.status[slot] < TempoInstances.ACCEPTED)
        {
            propose(slot, 0, ballot);
            instances.status[slot] = TempoInstances.PROPOSED;
        }
        trackUndecided(slot);
        journal.record(slot);
    }

    private int slotForVote(final int from, final long ballot, final long dot)
    {
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
        if (instances.promisedBallot[slot] != ballot)
        {
            instances.leading[slot] = false;
        }
        return slot;
    }

    private boolean answeredAsDecided(final int slot, final int from)
    {
        if (instances.status[slot] < TempoInstances.COMMITTED)
        {
            return false;
        }
        commitTo(from, slot);
        return true;
    }

    void commitTo(final int to, final int slot)
    {
        instances.wrapCommands(slot, commandsView);
        publisher.commit(to, instances.promisedBallot[slot], instances.slots.dotAt(slot), instances.timestamp[slot],
            commandsView, instances.commandsLength[slot]);
    }

    void trackUndecided(final int slot)
    {
        if (instances.status[slot] == TempoInstances.NONE && instances.undecidedSinceNs[slot] == 0)
        {
            instances.undecidedSinceNs[slot] = Math.max(1, nowNs);
            undecided.addLong(instances.slots.dotAt(slot));
        }
    }

    // ------------------------------------------------------------- coordinator

    public void onProposeAck(final int from, final long ballot, final long dot, final long timestamp)
    {
        if (!validDot(dot) || timestamp < 0)
        {
            counters.malformedDropped++;
            return;
        }
        coordinator.onProposeAck(from, ballot, dot, timestamp);
    }

    public void onConsensusAck(final int from, final long ballot, final long dot)
    {
        if (!validDot(dot))
        {
            counters.malformedDropped++;
            return;
        }
        coordinator.onConsensusAck(from, ballot, dot);
    }

    public void onRecoverAck(
        final int from, final long ballot, final long dot, final byte status, final long acceptedBallot,
        final long timestamp, final long proposalBallot, final long proposal, final long fastQuorum,
        final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        if (!validDot(dot) || timestamp < 0 || proposal < 0 ||
            (commandsLength > 0 && !validBatch(commands, commandsOffset, commandsLength)))
        {
            counters.malformedDropped++;
            return;
        }
        recovery.onRecoverAck(from, ballot, dot, status, acceptedBallot, timestamp, proposalBallot, proposal,
            fastQuorum, commands, commandsOffset, commandsLength);
    }

    public void onNack(final int from, final long ballot, final long dot, final long promisedBallot)
    {
        if (!validDot(dot))
        {
            counters.malformedDropped++;
            return;
        }
        final int slot = instances.slotOf(dot);
        if (slot != InstanceSlots.NO_SLOT && promisedBallot > instances.promisedBallot[slot] &&
            instances.status[slot] < TempoInstances.COMMITTED)
        {
            // remember the higher ballot so a later attempt starts above it; not a promise, so not journaled
            instances.promisedBallot[slot] = promisedBallot;
            instances.leading[slot] = false;
        }
        recovery.onNack(ballot, dot);
    }

    public void onProgress(final int from, final int origin, final long upTo)
    {
        collector.onProgress(from, origin, upTo);
    }

    public void onPromisedKey(final int from, final long key, final long clockUpTo)
    {
        if (!promises.hasRow(key))
        {
            reclaimer.candidate(key, nowNs); // a row for a key no longer in use here would otherwise stay for good
        }
        if (!clocks.hasRow(key) && collector.isBehind(from))
        {
            // a restarted peer executes again what executed everywhere, on keys reclaimed here: publish this
            // replica's clock on the key again (the floor), or the peer never sees it stable
            clocks.raise(key, 0);
        }
        promises.beginKey(from, key, clockUpTo);
    }

    public void onPromisedAttached(final int from, final long dot, final long fromValue)
    {
        promises.attached(dot, fromValue);
    }

    public void onPromisedKeyEnd(final int from, final long key)
    {
        promises.endKey(key);
    }

    public void onUnexpected(final int from, final int templateId)
    {
        counters.malformedDropped++;
    }

    /**
     * The timestamp in {@code slot} is chosen: bump the keys to it (detached promises: idle keys become stable),
     * journal, send the Commit if this replica led the decision, then hand it to the executor (the Commit leaves
     * before local execution can start) and let the promises attached to it count.
     */
    void decide(final int slot, final boolean asLeader, final boolean journaled)
    {
        final long dot = instances.slots.dotAt(slot);
        instances.status[slot] = TempoInstances.COMMITTED;
        instances.leading[slot] = false;
        final KeySet keys = instances.keys[slot];
        clocks.bump(keys, instances.timestamp[slot]);
        if (journaled)
        {
            journal.record(slot);
        }
        if (asLeader)
        {
            commitTo(TempoPublisher.ALL, slot);
        }
        instances.committedAtNs[slot] = nowNs;
        counters.committed++;
        recovery.onDecided(dot);
        sink.onCommit(dot, instances.timestamp[slot], keys);
        promises.onCommitted(keys);
    }

    /** Stores an instance's commands and derives its keys. */
    void setCommands(final int slot, final DirectBuffer commands, final int offset, final int length)
    {
        instances.storeCommands(slot, commands, offset, length);
        reclaimer.release(instances.keys[slot], nowNs);
        batchReader.readKeys(commands, offset, length, instances.keys[slot]);
        reclaimer.retain(instances.keys[slot]);
    }

    /** Executed everywhere: forget the instance and this replica's attached promises to it. */
    void forget(final long dot)
    {
        final int slot = instances.slotOf(dot);
        if (slot != InstanceSlots.NO_SLOT)
        {
            for (int i = 0, n = instances.voteCount[slot]; i < n; i++)
            {
                promisesSender.onCollected(dot, instances.voteKeys[slot][i]);
            }
            reclaimer.release(instances.keys[slot], nowNs);
            instances.slots.free(dot);
        }
        recovery.onDecided(dot);
    }

    boolean isCollected(final long dot)
    {
        return collector.isCollected(dot);
    }

    public boolean isCommitted(final long dot)
    {
        return isCollected(dot) || instances.isCommitted(dot);
    }

    /** Tracked as undecided, so it is recovered (or its Commit learnt from whoever has it) if it stays so. */
    public void awaitCommit(final long dot)
    {
        if (validDot(dot) && !isCollected(dot))
        {
            trackUndecided(instances.getOrCreate(dot));
        }
    }

    // ---------------------------------------------------------------- replay

    void restore(
        final long dot, final byte status, final long promisedBallot, final long acceptedBallot, final long timestamp,
        final long proposalBallot, final long proposal, final long fastQuorum, final long[] voteKeys,
        final long[] voteFrom, final int voteCount, final DirectBuffer commands, final int commandsOffset,
        final int commandsLength)
    {
        for (int i = 0; i < voteCount; i++)
        {
            clocks.raise(voteKeys[i], proposal); // never propose at or below a value once promised
        }
        if (Dot.replica(dot) == self)
        {
            nextInstance = Math.max(nextInstance, Dot.instance(dot) + 1);
        }
        if (isCollected(dot))
        {
            return;
        }
        final int slot = instances.getOrCreate(dot);
        if (instances.status[slot] >= TempoInstances.COMMITTED)
        {
            return;
        }
        if (commandsLength > 0)
        {
            setCommands(slot, commands, commandsOffset, commandsLength);
            instances.commandsJournaled[slot] = true;
        }
        if (voteCount > 0 && instances.voteCount[slot] == 0)
        {
            instances.setVotes(slot, voteKeys, voteFrom, voteCount);
            for (int i = 0; i < voteCount; i++)
            {
                promisesSender.onAttached(dot, voteKeys[i], voteFrom[i]);
            }
        }
        instances.promisedBallot[slot] = promisedBallot;
        instances.acceptedBallot[slot] = acceptedBallot;
        instances.timestamp[slot] = timestamp;
        instances.proposalBallot[slot] = proposalBallot;
        instances.proposal[slot] = proposal;
        instances.fastQuorum[slot] = fastQuorum;
        if (status >= TempoInstances.COMMITTED)
        {
            decide(slot, false, false);
        }
        else if (status != TempoInstances.NONE)
        {
            trackUndecided(slot);
            instances.status[slot] = status;
            if (status == TempoInstances.ACCEPTED)
            {
                clocks.bump(instances.keys[slot], timestamp);
            }
        }
    }

    // ------------------------------------------------------------- validation

    boolean validDot(final long dot)
    {
        return Dot.replica(dot) < replicaCount && Dot.instance(dot) > 0;
    }

    private boolean validBatch(final DirectBuffer commands, final int offset, final int length)
    {
        return length > 0 && batchReader.isValid(commands, offset, length);
    }

    // ------------------------------------------------------------ inspection

    public int replicaId()
    {
        return self;
    }

    /** The status of {@code dot} here: 0 none, 1 proposed, 2 accepted, 3 committed, 4 executed (or forgotten). */
    public int statusOf(final long dot)
    {
        if (isCollected(dot))
        {
            return TempoInstances.EXECUTED;
        }
        final int slot = instances.slotOf(dot);
        return slot == InstanceSlots.NO_SLOT ? TempoInstances.NONE : instances.status[slot];
    }

    /** The decided (or accepted) timestamp of {@code dot} here, 0 if none. */
    public long timestampOf(final long dot)
    {
        final int slot = instances.slotOf(dot);
        return slot == InstanceSlots.NO_SLOT ? 0 : instances.timestamp[slot];
    }

    public long clockOf(final long key)
    {
        return clocks.clock(key);
    }

    public long stableUpTo(final long key)
    {
        return promises.stableUpTo(key);
    }

    public int instanceCount()
    {
        return instances.slots.size();
    }

    /** Keys with a clock row here (bounded by the keys in use once quiet keys are reclaimed). */
    public int clockRowCount()
    {
        return clocks.keyCount();
    }

    /** Keys with a promises row here. */
    public int promiseRowCount()
    {
        return promises.keyCount();
    }

    public long keysReclaimed()
    {
        return reclaimer.reclaimed();
    }

    TempoCoordinator coordinator()
    {
        return coordinator;
    }

    /** Starts recovering {@code dot} now, as its timeout would (scenario tests drive recovery step by step). */
    void startRecovery(final long dot)
    {
        recovery.start(dot);
    }
}
