package io.roundtable.protocol.atlas;

import io.roundtable.conflict.ConflictIndex;
import io.roundtable.protocol.Ballot;
import io.roundtable.protocol.CommitSink;
import io.roundtable.protocol.Dot;
import io.roundtable.protocol.DotSet;
import io.roundtable.protocol.InstanceSlots;
import io.roundtable.protocol.JournalSink;
import io.roundtable.protocol.Outbox;
import io.roundtable.protocol.Protocol;
import io.roundtable.protocol.dependency.DependencyInstances;
import io.roundtable.protocol.dependency.DependencyProtocol;
import io.roundtable.protocol.dependency.DependencyPublisher;
import io.roundtable.protocol.dependency.DependencyReplica;
import org.agrona.DirectBuffer;

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
 * promised and accepted ballots are kept apart and both journaled (PROTOCOLS.md pitfall 1). What Atlas shares with
 * EPaxos (tables, gates, decide, replay, checkpoints) is the {@link DependencyReplica}; this class is the message
 * flow. Pure: see {@link Protocol}.
 */
public final class Atlas implements DependencyProtocol
{
    final DependencyReplica core;
    final int faults;
    final int recoveryQuorumSize;
    final int majority;
    final DependencyInstances instances;
    final ConflictIndex conflicts;
    final DependencyPublisher publisher;
    private final AtlasCoordinator coordinator;
    private final AtlasRecovery recovery;

    public Atlas(
        final AtlasConfig config, final Outbox outbox, final JournalSink journalSink, final CommitSink commitSink)
    {
        this.core = new DependencyReplica(config, false, this, outbox, journalSink, commitSink);
        this.faults = config.faults();
        this.recoveryQuorumSize = config.recoveryQuorum();
        this.majority = config.majority();
        this.instances = core.instances;
        this.conflicts = core.conflicts;
        this.publisher = core.publisher;
        this.coordinator = new AtlasCoordinator(this);
        this.recovery = new AtlasRecovery(this, config);
        core.drive(coordinator, recovery.timers());
    }

    public DependencyReplica core()
    {
        return core;
    }

    public long submit(final DirectBuffer commandBatch, final int offset, final int length)
    {
        final int slot = core.newInstance(commandBatch, offset, length);
        coordinator.startCollect(slot);
        return instances.slots.dotAt(slot);
    }

    // ---------------------------------------------------------------- acceptor

    /**
     * MCollect at a fast-quorum member (or, after the coordinator widened, at any replica): dependencies = the
     * coordinator's past ∪ this replica's conflicts, journaled before the MCollectAck. Only the owner's initial ballot
     * is valid, and a replica that promised a recovery ballot ignores it (the vote gate's Nack): recovery's
     * "Property 2" counts only MCollectAcks produced before any recovery ballot.
     */
    public void onPreAccept(
        final int from, final long ballot, final long dot, final int seq, final long fastQuorum, final long[] deps,
        final int depsCount, final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        if (core.validDot(dot) && ballot != Ballot.initial(core.epoch, Dot.replica(dot)))
        {
            core.counters.malformedDropped++;
            return;
        }
        final int slot = core.slotForVote(from, ballot, dot, deps, depsCount, commands, commandsOffset, commandsLength);
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
        core.setCommands(slot, commands, commandsOffset, commandsLength);
        final DotSet localDeps = instances.deps[slot];
        localDeps.copyFrom(deps, depsCount);
        conflicts.collect(instances.keys[slot], dot, localDeps);
        instances.seq[slot] = 0;
        instances.fastQuorum[slot] = fastQuorum;
        core.setVote(slot, DependencyInstances.PRE_ACCEPTED, ballot);
        publisher.preAcceptOk(from, ballot, dot, 0, localDeps, instances);
    }

    /** MConsensus: accept iff the ballot is at least the promised one; journal, then MConsensusAck. */
    public void onAccept(
        final int from, final long ballot, final long dot, final int seq, final long[] deps, final int depsCount,
        final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        core.onAccept(from, ballot, dot, 0, deps, depsCount, commands, commandsOffset, commandsLength);
    }

    /** MCommit; Atlas has no sequence numbers, so whatever seq the message carries is not adopted. */
    public void onCommit(
        final int from, final long ballot, final long dot, final int seq, final long[] deps, final int depsCount,
        final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        core.onCommit(dot, 0, deps, depsCount, commands, commandsOffset, commandsLength);
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
        final int slot = core.slotForPrepare(from, ballot, dot, commands, commandsOffset, commandsLength);
        if (slot == InstanceSlots.NO_SLOT)
        {
            return;
        }
        promiseRecovery(slot, ballot, commands, commandsOffset, commandsLength);
        core.prepareOk(from, ballot, slot);
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
                core.setCommands(slot, commands, commandsOffset, commandsLength);
            }
            if (instances.commandsLength[slot] > 0)
            {
                final DotSet deps = instances.deps[slot];
                deps.clear();
                conflicts.collect(instances.keys[slot], instances.slots.dotAt(slot), deps);
                instances.seq[slot] = 0;
                instances.fastQuorum[slot] = 0;
                core.setVote(slot, DependencyInstances.PRE_ACCEPTED, ballot);
                return;
            }
        }
        instances.promisedBallot[slot] = ballot;
        core.journal.record(slot);
    }

    // ------------------------------------------------------------- coordinator

    public void onPreAcceptOk(
        final int from, final long ballot, final long dot, final int seq, final long[] deps,
        final boolean[] depsCommitted, final int depsCount)
    {
        if (core.acceptInput(dot, deps, depsCount))
        {
            coordinator.onCollectAck(from, ballot, dot, deps, depsCount);
        }
    }

    public void onAcceptOk(final int from, final long ballot, final long dot)
    {
        if (core.acceptDot(dot))
        {
            coordinator.onConsensusAck(from, ballot, dot);
        }
    }

    public void onNack(final int from, final long ballot, final long dot, final long promisedBallot)
    {
        if (!core.acceptDot(dot))
        {
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
        if (core.acceptPrepareOk(dot, deps, depsCount, commands, commandsOffset, commandsLength))
        {
            recovery.onPrepareOk(from, ballot, dot, status, acceptedBallot, fastQuorum, deps, depsCount,
                commands, commandsOffset, commandsLength);
        }
    }

    /** EPaxos's TryPreAccept has no place in Atlas: its recovery is a single round. */
    public void onTryPreAccept(
        final int from, final long ballot, final long dot, final int seq, final long fastQuorum, final long[] deps,
        final int depsCount, final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        core.counters.malformedDropped++;
    }

    public void onTryPreAcceptReply(
        final int from, final long ballot, final long dot, final boolean ok, final long conflictDot,
        final byte conflictStatus)
    {
        core.counters.malformedDropped++;
    }

    void startAccept(final int slot, final long ballot, final boolean thrifty)
    {
        coordinator.startAccept(slot, ballot, thrifty);
    }

    // ------------------------------------------------------------ inspection

    public int replicaId()
    {
        return core.self;
    }

    /** Starts recovering {@code dot} now, as its timeout would (scenario tests drive recovery step by step). */
    void startRecovery(final long dot)
    {
        recovery.start(dot);
    }

}
