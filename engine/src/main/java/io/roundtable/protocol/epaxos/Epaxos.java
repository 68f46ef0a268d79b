package io.roundtable.protocol.epaxos;

import io.roundtable.command.CommandBatchReader;
import io.roundtable.command.KeySet;
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
import org.agrona.DirectBuffer;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Optimized EPaxos (EPaxos report §6): thrifty fast quorum of F + ⌊(F+1)/2⌋, slow quorum F+1, the FP-quorum and
 * FP-deps-committed fast-path conditions, Paxos-Accept on the slow path, Commit broadcast to every replica (carrying
 * the commands, so replicas outside the quorums learn them from it). Pure: see {@link Protocol}.
 *
 * <p>The fast path condition is the report's: the fast quorum's replies are identical to each other; the
 * coordinator's own initial attributes need not match, since acceptors union them in and recovery never counts the
 * coordinator's pre-accept (PROTOCOLS.md's "equal to the coordinator's own attributes too" is stricter than the
 * report, and would make N=3 conflict-sensitive, contradicting §6.1).
 */
public final class Epaxos implements Protocol, EpaxosHandler
{
    private final int self;
    private final int replicaCount;
    private final int fastQuorum;
    private final int slowQuorum;
    private final long phaseTimeoutNs;
    private final int[] peers;
    private final long initialBallot;
    private final CommitSink commitSink;
    private final ProtocolCounters counters = new ProtocolCounters();
    private final EpaxosInstances instances;
    private final ConflictIndex conflicts = new ConflictIndex();
    private final EpaxosMessageAdapter adapter;
    private final EpaxosPublisher publisher;
    private final EpaxosJournal journal;
    private final CommandBatchReader batchReader = new CommandBatchReader();
    private final UnsafeBuffer commandsView = new UnsafeBuffer(0, 0);
    private final LongArrayList coordinating = new LongArrayList();
    private final int[] onePeer = new int[1];
    private final EpaxosReplayer replayer = new EpaxosReplayer(this);
    private final org.agrona.collections.LongHashSet missing = new org.agrona.collections.LongHashSet();
    private long nextInstance = 1;
    private long nowNs;

    public Epaxos(
        final EpaxosConfig config, final Outbox outbox, final JournalSink journalSink, final CommitSink commitSink)
    {
        config.requireConcluded();
        this.self = config.replicaId();
        this.replicaCount = config.replicaCount();
        this.fastQuorum = config.fastQuorum();
        this.slowQuorum = config.slowQuorum();
        this.phaseTimeoutNs = config.phaseTimeoutNs();
        this.peers = config.peerPreferenceArray();
        this.initialBallot = Ballot.initial(config.epoch(), self);
        this.commitSink = commitSink;
        this.instances = new EpaxosInstances(config.initialCapacity());
        this.adapter = new EpaxosMessageAdapter(this);
        this.publisher = new EpaxosPublisher(outbox, counters);
        this.journal = new EpaxosJournal(journalSink, instances);
    }

    public long submit(final DirectBuffer commandBatch, final int offset, final int length)
    {
        if (!batchReader.isValid(commandBatch, offset, length))
        {
            throw new IllegalArgumentException("not an encoded CommandBatch (use CommandBatchWriter)");
        }
        final long dot = Dot.of(self, nextInstance++);
        final int slot = instances.getOrCreate(dot);
        setCommands(slot, commandBatch, offset, length);

        final DotSet deps = instances.deps[slot];
        deps.clear();
        final int seq = conflicts.collect(instances.keys[slot], dot, deps) + 1;
        instances.seq[slot] = seq;
        instances.status[slot] = EpaxosInstances.PRE_ACCEPTED;
        instances.promisedBallot[slot] = initialBallot;
        instances.acceptedBallot[slot] = initialBallot;
        conflicts.onPending(dot, instances.keys[slot], seq);
        journal.record(slot);

        instances.resetCoordination(slot);
        instances.phaseStartNs[slot] = nowNs;
        coordinating.addLong(dot);
        counters.proposed++;

        instances.wrapCommands(slot, commandsView);
        publisher.preAccept(peers, fastQuorum - 1, initialBallot, dot, seq, deps, commandsView, length);
        return dot;
    }

    public void onMessage(final int fromReplica, final DirectBuffer buffer, final int offset, final int length)
    {
        counters.messagesIn++;
        adapter.onMessage(fromReplica, buffer, offset, length);
    }

    public void onTick(final long nowNs)
    {
        this.nowNs = nowNs;
        for (int i = 0, n = coordinating.size(); i < n; i++)
        {
            final int slot = instances.slotOf(coordinating.getLong(i));
            if (slot == InstanceSlots.NO_SLOT || instances.widened[slot] ||
                nowNs - instances.phaseStartNs[slot] < phaseTimeoutNs)
            {
                continue;
            }
            widen(slot);
        }
    }

    public void replay(final DirectBuffer record, final int offset, final int length)
    {
        replayer.replay(record, offset, length);
    }

    /** Called by {@link EpaxosReplayer} for each journaled state, in journal order. */
    void restore(
        final long dot, final byte status, final long promisedBallot, final long acceptedBallot, final int seq,
        final long[] deps, final int depsCount, final DirectBuffer commands, final int commandsOffset,
        final int commandsLength)
    {
        final int slot = instances.getOrCreate(dot);
        if (instances.status[slot] >= EpaxosInstances.COMMITTED)
        {
            return;
        }
        if (commandsLength > 0)
        {
            setCommands(slot, commands, commandsOffset, commandsLength);
        }
        instances.deps[slot].copyFrom(deps, depsCount);
        instances.seq[slot] = seq;
        instances.promisedBallot[slot] = promisedBallot;
        instances.acceptedBallot[slot] = acceptedBallot;
        if (Dot.replica(dot) == self)
        {
            nextInstance = Math.max(nextInstance, Dot.instance(dot) + 1);
        }
        if (status >= EpaxosInstances.COMMITTED)
        {
            decideRestored(slot);
        }
        else
        {
            instances.status[slot] = status;
            if (status == EpaxosInstances.PRE_ACCEPTED || status == EpaxosInstances.ACCEPTED)
            {
                conflicts.onPending(dot, instances.keys[slot], seq);
            }
        }
    }

    private void decideRestored(final int slot)
    {
        final long dot = instances.slots.dotAt(slot);
        instances.status[slot] = EpaxosInstances.COMMITTED;
        final DotSet deps = instances.deps[slot];
        conflicts.onCommitted(dot, instances.keys[slot], instances.seq[slot], deps.array(), deps.size());
        commitSink.onCommit(dot, instances.seq[slot], deps.array(), deps.size());
    }

    public void onMissingDependency(final long dot)
    {
        if (validDot(dot) && !instances.isCommitted(dot))
        {
            missing.add(dot);
        }
    }

    public boolean wrapCommands(final long dot, final UnsafeBuffer view)
    {
        final int slot = instances.slotOf(dot);
        if (slot == InstanceSlots.NO_SLOT || instances.status[slot] < EpaxosInstances.COMMITTED)
        {
            return false;
        }
        instances.wrapCommands(slot, view);
        return true;
    }

    public void onExecuted(final long dot)
    {
        final int slot = instances.slotOf(dot);
        if (slot != InstanceSlots.NO_SLOT)
        {
            instances.status[slot] = EpaxosInstances.EXECUTED;
        }
    }

    public ProtocolCounters counters()
    {
        return counters;
    }

    // ---------------------------------------------------------------- acceptor

    public void onPreAccept(
        final int from, final long ballot, final long dot, final int seq, final long[] deps, final int depsCount,
        final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        if (Dot.replica(dot) == self || !validInput(from, dot, deps, depsCount, commands, commandsOffset, commandsLength))
        {
            counters.malformedDropped++;
            return;
        }
        final int slot = instances.getOrCreate(dot);
        if (ballot < instances.promisedBallot[slot])
        {
            publisher.nack(from, ballot, dot, instances.promisedBallot[slot]);
            return;
        }
        final byte status = instances.status[slot];
        if (status == EpaxosInstances.PRE_ACCEPTED && instances.acceptedBallot[slot] == ballot)
        {
            // a duplicate: repeat the vote already journaled rather than vote again with different attributes
            publisher.preAcceptOk(from, ballot, dot, instances.seq[slot], instances.deps[slot], instances);
            return;
        }
        if (status >= EpaxosInstances.ACCEPTED)
        {
            return; // a late PreAccept: the instance has moved past phase 1 (or a Commit overtook it)
        }

        setCommands(slot, commands, commandsOffset, commandsLength);
        final DotSet localDeps = instances.deps[slot];
        localDeps.copyFrom(deps, depsCount);
        final int localMaxSeq = conflicts.collect(instances.keys[slot], dot, localDeps);
        final int newSeq = Math.max(seq, localMaxSeq + 1);
        instances.seq[slot] = newSeq;
        instances.status[slot] = EpaxosInstances.PRE_ACCEPTED;
        instances.promisedBallot[slot] = ballot;
        instances.acceptedBallot[slot] = ballot;
        conflicts.onPending(dot, instances.keys[slot], newSeq);
        journal.record(slot);
        publisher.preAcceptOk(from, ballot, dot, newSeq, localDeps, instances);
    }

    public void onAccept(
        final int from, final long ballot, final long dot, final int seq, final long[] deps, final int depsCount,
        final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        if (!validInput(from, dot, deps, depsCount, commands, commandsOffset, commandsLength))
        {
            counters.malformedDropped++;
            return;
        }
        final int slot = instances.getOrCreate(dot);
        if (ballot < instances.promisedBallot[slot])
        {
            publisher.nack(from, ballot, dot, instances.promisedBallot[slot]);
            return;
        }
        if (instances.status[slot] >= EpaxosInstances.COMMITTED)
        {
            publisher.acceptOk(from, ballot, dot); // decided: the tuple being accepted is necessarily the same
            return;
        }
        setCommands(slot, commands, commandsOffset, commandsLength);
        instances.deps[slot].copyFrom(deps, depsCount);
        instances.seq[slot] = seq;
        instances.status[slot] = EpaxosInstances.ACCEPTED;
        instances.promisedBallot[slot] = ballot;
        instances.acceptedBallot[slot] = ballot;
        conflicts.onPending(dot, instances.keys[slot], seq);
        journal.record(slot);
        publisher.acceptOk(from, ballot, dot);
    }

    public void onCommit(
        final int from, final long ballot, final long dot, final int seq, final long[] deps, final int depsCount,
        final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        if (!validInput(from, dot, deps, depsCount, commands, commandsOffset, commandsLength))
        {
            counters.malformedDropped++;
            return;
        }
        final int slot = instances.getOrCreate(dot);
        if (instances.status[slot] >= EpaxosInstances.COMMITTED)
        {
            return; // duplicate Commit
        }
        setCommands(slot, commands, commandsOffset, commandsLength);
        instances.deps[slot].copyFrom(deps, depsCount);
        instances.seq[slot] = seq;
        decide(slot);
    }

    // ------------------------------------------------------------- coordinator

    public void onPreAcceptOk(
        final int from, final long ballot, final long dot, final int seq, final long[] deps,
        final boolean[] depsCommitted, final int depsCount)
    {
        if (from < 0 || from >= replicaCount || from == self)
        {
            counters.malformedDropped++;
            return;
        }
        for (int i = 0; i < depsCount; i++)
        {
            if (!validDot(deps[i]) || deps[i] == dot)
            {
                counters.malformedDropped++;
                return;
            }
        }
        final int slot = coordinatedSlot(dot, ballot, EpaxosInstances.PRE_ACCEPTED);
        if (slot == InstanceSlots.NO_SLOT || !recordReply(slot, from))
        {
            return;
        }
        if (instances.replyCount[slot] == 1)
        {
            instances.firstReplyDeps[slot].copyFrom(deps, depsCount);
            instances.firstReplySeq[slot] = seq;
        }
        else if (seq != instances.firstReplySeq[slot] || !instances.firstReplyDeps[slot].sameAs(deps, depsCount))
        {
            instances.repliesIdentical[slot] = false;
        }
        instances.deps[slot].addAll(deps, depsCount);
        instances.seq[slot] = Math.max(instances.seq[slot], seq);
        for (int i = 0; i < depsCount; i++)
        {
            if (depsCommitted[i])
            {
                instances.depsReportedCommitted[slot].add(deps[i]);
            }
        }

        final int votes = instances.replyCount[slot] + 1;
        if (!instances.widened[slot] && votes == fastQuorum)
        {
            if (instances.repliesIdentical[slot] && depsCommittedInQuorum(slot))
            {
                counters.fastPath++;
                decide(slot);
            }
            else
            {
                startAccept(slot);
            }
        }
        else if (instances.widened[slot] && votes >= slowQuorum)
        {
            startAccept(slot);
        }
    }

    public void onAcceptOk(final int from, final long ballot, final long dot)
    {
        if (from < 0 || from >= replicaCount || from == self)
        {
            counters.malformedDropped++;
            return;
        }
        final int slot = coordinatedSlot(dot, ballot, EpaxosInstances.ACCEPTED);
        if (slot == InstanceSlots.NO_SLOT || !recordReply(slot, from))
        {
            return;
        }
        if (instances.replyCount[slot] + 1 >= slowQuorum)
        {
            counters.slowPath++;
            decide(slot);
        }
    }

    public void onNack(final int from, final long ballot, final long dot, final long promisedBallot)
    {
        // Only recovery raises ballots above the owner's initial one; explicit prepare handles this (next step).
    }

    public void onUnexpected(final int from, final int templateId)
    {
        counters.malformedDropped++;
    }

    /** Rejects what a correct peer never sends: unknown replicas, impossible dots, malformed command batches. */
    private boolean validInput(
        final int from, final long dot, final long[] deps, final int depsCount,
        final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        if (from < 0 || from >= replicaCount || from == self || !validDot(dot))
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
        return batchReader.isValid(commands, commandsOffset, commandsLength);
    }

    private boolean validDot(final long dot)
    {
        return Dot.replica(dot) < replicaCount && Dot.instance(dot) > 0;
    }

    private int coordinatedSlot(final long dot, final long ballot, final byte expectedStatus)
    {
        final int slot = instances.slotOf(dot);
        if (slot == InstanceSlots.NO_SLOT || instances.status[slot] != expectedStatus ||
            instances.promisedBallot[slot] != ballot || Dot.replica(dot) != self)
        {
            return InstanceSlots.NO_SLOT; // stale, duplicate, or not ours to coordinate
        }
        return slot;
    }

    /** @return false for a second reply from the same replica in this phase (duplicated by the network). */
    private boolean recordReply(final int slot, final int from)
    {
        final long bit = 1L << from;
        if ((instances.replyMask[slot] & bit) != 0)
        {
            return false;
        }
        instances.replyMask[slot] |= bit;
        instances.replyCount[slot]++;
        return true;
    }

    /** FP-deps-committed: every dependency is known committed by some member of the fast quorum. */
    private boolean depsCommittedInQuorum(final int slot)
    {
        final DotSet deps = instances.deps[slot];
        final DotSet reported = instances.depsReportedCommitted[slot];
        for (int i = 0, n = deps.size(); i < n; i++)
        {
            final long dep = deps.get(i);
            if (!reported.contains(dep) && !instances.isCommitted(dep))
            {
                return false;
            }
        }
        return true;
    }

    private void startAccept(final int slot)
    {
        final long dot = instances.slots.dotAt(slot);
        instances.status[slot] = EpaxosInstances.ACCEPTED;
        instances.acceptedBallot[slot] = instances.promisedBallot[slot];
        conflicts.onPending(dot, instances.keys[slot], instances.seq[slot]);
        journal.record(slot);
        instances.replyMask[slot] = 0;
        instances.replyCount[slot] = 0;
        instances.widened[slot] = false;
        instances.phaseStartNs[slot] = nowNs;
        instances.wrapCommands(slot, commandsView);
        publisher.accept(peers, slowQuorum - 1, instances.promisedBallot[slot], dot, instances.seq[slot],
            instances.deps[slot], commandsView, instances.commandsLength[slot]);
    }

    /** The thrifty quorum did not answer in time: ask every replica that has not replied in this phase. */
    private void widen(final int slot)
    {
        instances.widened[slot] = true;
        final long dot = instances.slots.dotAt(slot);
        instances.wrapCommands(slot, commandsView);
        for (final int peer : peers)
        {
            if ((instances.replyMask[slot] & (1L << peer)) != 0)
            {
                continue;
            }
            onePeer[0] = peer;
            if (instances.status[slot] == EpaxosInstances.PRE_ACCEPTED)
            {
                publisher.preAccept(onePeer, 1, instances.promisedBallot[slot], dot, instances.seq[slot],
                    instances.deps[slot], commandsView, instances.commandsLength[slot]);
            }
            else
            {
                publisher.accept(onePeer, 1, instances.promisedBallot[slot], dot, instances.seq[slot],
                    instances.deps[slot], commandsView, instances.commandsLength[slot]);
            }
        }
    }

    /**
     * The tuple in {@code slot} is chosen. Journal it, broadcast the Commit, then hand it to the executor: the Commit
     * leaves before local execution can start (PROTOCOLS.md pitfall 3).
     */
    private void decide(final int slot)
    {
        final long dot = instances.slots.dotAt(slot);
        instances.status[slot] = EpaxosInstances.COMMITTED;
        journal.record(slot);
        final DotSet deps = instances.deps[slot];
        if (Dot.replica(dot) == self)
        {
            instances.wrapCommands(slot, commandsView);
            publisher.commitToAll(instances.promisedBallot[slot], dot, instances.seq[slot], deps, commandsView,
                instances.commandsLength[slot]);
            coordinating.removeLong(dot);
        }
        conflicts.onCommitted(dot, instances.keys[slot], instances.seq[slot], deps.array(), deps.size());
        counters.committed++;
        commitSink.onCommit(dot, instances.seq[slot], deps.array(), deps.size());
    }

    /** Stores an instance's commands and derives its keys, withdrawing a pending registration under old keys. */
    private void setCommands(final int slot, final DirectBuffer commands, final int offset, final int length)
    {
        final byte status = instances.status[slot];
        if (status == EpaxosInstances.PRE_ACCEPTED || status == EpaxosInstances.ACCEPTED)
        {
            conflicts.removePending(instances.slots.dotAt(slot), instances.keys[slot]);
        }
        instances.storeCommands(slot, commands, offset, length);
        batchReader.readKeys(commands, offset, length, instances.keys[slot]);
    }

    // ------------------------------------------------------------ inspection

    /** The status of {@code dot} here, for tests and tools: 0 none, 1 pre-accepted, 2 accepted, 3 committed, 4 executed. */
    public int statusOf(final long dot)
    {
        final int slot = instances.slotOf(dot);
        return slot == InstanceSlots.NO_SLOT ? EpaxosInstances.NONE : instances.status[slot];
    }

    public int replicaId()
    {
        return self;
    }
}
