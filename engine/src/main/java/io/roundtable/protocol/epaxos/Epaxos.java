package io.roundtable.protocol.epaxos;

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
 *
 * <p>What EPaxos shares with Atlas (tables, gates, decide, replay, checkpoints) is the {@link DependencyReplica}; this
 * class is the message flow.
 */
public final class Epaxos implements DependencyProtocol
{
    final DependencyReplica core;
    final boolean learnerOnly;
    final DependencyInstances instances;
    final ConflictIndex conflicts;
    final DependencyPublisher publisher;
    final DotSet scratchDeps = new DotSet(16);
    private final EpaxosRecovery recovery;
    private final EpaxosCoordinator coordinator;

    public Epaxos(
        final EpaxosConfig config, final Outbox outbox, final JournalSink journalSink, final CommitSink commitSink)
    {
        this.core = new DependencyReplica(config, config.learnerOnly(), this, outbox, journalSink, commitSink);
        this.learnerOnly = config.learnerOnly();
        this.instances = core.instances;
        this.conflicts = core.conflicts;
        this.publisher = core.publisher;
        this.coordinator = new EpaxosCoordinator(this);
        this.recovery = new EpaxosRecovery(this, config);
        core.drive(coordinator, recovery);
    }

    public DependencyReplica core()
    {
        return core;
    }

    public long submit(final DirectBuffer commandBatch, final int offset, final int length)
    {
        if (learnerOnly)
        {
            throw new IllegalStateException("replica " + core.self + " lost its journal and only learns decisions " +
                "until it rejoins under a new identity: submit to another replica");
        }
        final int slot = core.newInstance(commandBatch, offset, length);
        startPreAccept(slot, core.initialBallot, false);
        return instances.slots.dotAt(slot);
    }

    // ---------------------------------------------------------------- acceptor

    public void onPreAccept(
        final int from, final long ballot, final long dot, final int seq, final long fastQuorum, final long[] deps,
        final int depsCount, final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        final int slot = core.slotForVote(from, ballot, dot, deps, depsCount, commands, commandsOffset, commandsLength);
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

        core.setCommands(slot, commands, commandsOffset, commandsLength);
        final DotSet localDeps = instances.deps[slot];
        localDeps.copyFrom(deps, depsCount);
        final int localMaxSeq = conflicts.collect(instances.keys[slot], dot, localDeps);
        final int newSeq = Math.max(seq, localMaxSeq + 1);
        instances.seq[slot] = newSeq;
        instances.fastQuorum[slot] = fastQuorum;
        core.setVote(slot, DependencyInstances.PRE_ACCEPTED, ballot);
        publisher.preAcceptOk(from, ballot, dot, newSeq, localDeps, instances);
    }

    public void onAccept(
        final int from, final long ballot, final long dot, final int seq, final long[] deps, final int depsCount,
        final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        core.onAccept(from, ballot, dot, seq, deps, depsCount, commands, commandsOffset, commandsLength);
    }

    public void onCommit(
        final int from, final long ballot, final long dot, final int seq, final long[] deps, final int depsCount,
        final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        core.onCommit(dot, seq, deps, depsCount, commands, commandsOffset, commandsLength);
    }

    /**
     * EPaxos sends its Prepare without commands (the PrepareOk replies carry what replicas hold); commands that are
     * there are ignored, but must still be a valid batch, as in every other message.
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
        instances.promisedBallot[slot] = ballot;
        instances.leading[slot] = false;
        core.journal.record(slot);
        core.prepareOk(from, ballot, slot);
    }

    public void onTryPreAccept(
        final int from, final long ballot, final long dot, final int seq, final long fastQuorum, final long[] deps,
        final int depsCount,
        final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        final int slot = core.slotForVote(from, ballot, dot, deps, depsCount, commands, commandsOffset, commandsLength);
        if (slot == InstanceSlots.NO_SLOT)
        {
            return;
        }
        core.setCommands(slot, commands, commandsOffset, commandsLength);
        final long conflict = findConflictWithTuple(slot, dot, deps, depsCount);
        if (conflict != Dot.NONE)
        {
            publisher.tryPreAcceptReply(from, ballot, dot, false, conflict, core.knownStatus(conflict));
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
        core.setVote(slot, DependencyInstances.PRE_ACCEPTED, ballot);
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

    // ------------------------------------------------------------- coordinator

    public void onPreAcceptOk(
        final int from, final long ballot, final long dot, final int seq, final long[] deps,
        final boolean[] depsCommitted, final int depsCount)
    {
        if (core.acceptInput(dot, deps, depsCount))
        {
            coordinator.onPreAcceptOk(from, ballot, dot, seq, deps, depsCommitted, depsCount);
        }
    }

    public void onAcceptOk(final int from, final long ballot, final long dot)
    {
        if (core.acceptDot(dot))
        {
            coordinator.onAcceptOk(from, ballot, dot);
        }
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
        if (!core.acceptDot(dot))
        {
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
        if (core.acceptPrepareOk(dot, deps, depsCount, commands, commandsOffset, commandsLength))
        {
            recovery.onPrepareOk(from, ballot, dot, status, acceptedBallot, seq, fastQuorum, deps, depsCount,
                commands, commandsOffset, commandsLength);
        }
    }

    public void onTryPreAcceptReply(
        final int from, final long ballot, final long dot, final boolean ok, final long conflictDot,
        final byte conflictStatus)
    {
        if (!core.validDot(dot) || (!ok && !core.validDot(conflictDot)))
        {
            core.counters.malformedDropped++;
            return;
        }
        recovery.onTryPreAcceptReply(from, ballot, dot, ok, conflictDot, conflictStatus);
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

    public int instanceCapacity()
    {
        return instances.slots.capacity();
    }

    public int conflictKeyCount()
    {
        return conflicts.keyCount();
    }
}
