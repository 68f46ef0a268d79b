package io.roundtable.protocol.atlas;

import io.roundtable.command.CommandBatchWriter;
import io.roundtable.protocol.Ballot;
import io.roundtable.protocol.Dot;
import io.roundtable.protocol.DotSet;
import io.roundtable.protocol.InstanceSlots;
import io.roundtable.protocol.dependency.DependencyInstances;
import io.roundtable.protocol.dependency.DependencyRecovery;
import io.roundtable.protocol.dependency.RecoveryScheduler;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Atlas recovery, following the structure of the paper's Algorithm 2 (recovery quorum N−f, highest accepted value
 * first, the union over Q ∩ FQ justified by its Property 2, all of Q once the initial coordinator replied; the full
 * pseudocode was not available here, so cases 2 and 3 below are ours; fantoch has none), for instances that stay
 * undecided here past the recovery timeout, that the executor waits on, or whose coordinator was Nacked. Mutating
 * case 4 to "always Q" or "always Q ∩ FQ" makes the faulty simulator suite fail. The recoverer r promises a ballot b
 * above everything it has seen and sends MRec (a Prepare carrying r's copy of the
 * command, if any) to all; a replica holding the command that never voted computes its dependencies now and votes at
 * b ({@code recover-r}); one that voted keeps its vote. With N−f replies Q (r's own included):
 * <ol>
 * <li>an ACCEPTED reply: propose the value of the highest accepted ballot (Paxos);</li>
 * <li>nobody holds the command: propose a no-op. Safe: a fast decision needs all of the fast quorum FQ to hold it and
 * |FQ| + |Q| > N; a consensus decision needs f+1 acceptors and (f+1) + (N−f) > N;</li>
 * <li>some replier held no command (so computed no dependencies; only when r had none either): start again above b
 * with the command learnt from the replies;</li>
 * <li>otherwise propose the union of the dependencies reported by I, where I = Q if the owner replied, or some FQ
 * member in Q voted at a recovery ballot (either way the owner cannot have decided on the fast path), and I = Q ∩ FQ
 * otherwise. In the last case every member of Q ∩ FQ voted at the initial ballot and |Q ∩ FQ| ≥ ⌊N/2⌋ members
 * without the owner, so by the paper's Property 2 their union is exactly the fast-path value if one was decided:
 * every dependency of a fast decision was reported by f of the owner's FQ peers, at most f−1 of which are outside
 * Q. Each I, with the owner whose dependencies every vote includes, is a majority, so any two conflicting commands
 * still see each other.</li>
 * </ol>
 * The value goes through the same consensus as the slow path, at b, to all replicas. Competing recoverers converge
 * through ballots and a seeded random back-off ({@link RecoveryScheduler}, shared with EPaxos).
 */
final class AtlasRecovery
{
    private final Atlas atlas;
    private final DependencyInstances instances;
    private final RecoveryScheduler<AtlasRecoveryAttempt> scheduler;
    private final ExpandableArrayBuffer noOp = new ExpandableArrayBuffer(64);
    private final int noOpLength;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);

    AtlasRecovery(final Atlas atlas, final AtlasConfig config)
    {
        this.atlas = atlas;
        this.instances = atlas.instances;
        this.scheduler = new RecoveryScheduler<>(config, instances, AtlasRecoveryAttempt::new,
            this::isSettled, this::start);
        this.noOpLength = new CommandBatchWriter().begin(noOp, 0, 0).length();
    }

    // -------------------------------------------------------------- triggers

    /** The timers the replica drives: Atlas recovery needs nothing beyond the shared scheduler's. */
    DependencyRecovery timers()
    {
        return scheduler;
    }

    void onNack(final long ballot, final long dot)
    {
        final AtlasRecoveryAttempt attempt = scheduler.attempt(dot);
        if (attempt != null && attempt.ballot == ballot)
        {
            scheduler.release(attempt);
        }
    }

    private boolean isSettled(final long dot)
    {
        return instances.isCommitted(dot) || atlas.core.isCollected(dot);
    }

    // ------------------------------------------------------------------ MRec

    void start(final long dot)
    {
        if (atlas.core.isCollected(dot))
        {
            return;
        }
        final int slot = instances.getOrCreate(dot);
        if (instances.status[slot] >= DependencyInstances.COMMITTED || scheduler.isActive(dot))
        {
            return;
        }
        final long floor = Math.max(Math.max(instances.promisedBallot[slot], instances.acceptedBallot[slot]),
            Ballot.initial(atlas.core.epoch, Dot.replica(dot)));
        final long ballot = Ballot.nextAbove(floor, atlas.core.self);
        atlas.promiseRecovery(slot, ballot, view, 0, 0);

        final AtlasRecoveryAttempt attempt = scheduler.begin(dot);
        attempt.reset(dot, ballot, scheduler.nowNs());
        atlas.core.counters.recoveries++;

        instances.wrapCommands(slot, atlas.core.commandsView);
        absorb(attempt, atlas.core.self, instances.status[slot], instances.acceptedBallot[slot],
            instances.fastQuorum[slot], instances.deps[slot].array(), instances.deps[slot].size(),
            atlas.core.commandsView, 0, instances.commandsLength[slot]);
        atlas.publisher.prepareToAll(ballot, dot, atlas.core.commandsView, instances.commandsLength[slot]);
    }

    void onPrepareOk(
        final int from, final long ballot, final long dot, final byte status, final long acceptedBallot,
        final long fastQuorum, final long[] deps, final int depsCount,
        final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        final AtlasRecoveryAttempt attempt = scheduler.attempt(dot);
        if (attempt == null || attempt.ballot != ballot || (attempt.replyMask & (1L << from)) != 0)
        {
            return;
        }
        absorb(attempt, from, status, acceptedBallot, fastQuorum, deps, depsCount, commands, commandsOffset,
            commandsLength);
        if (attempt.replyCount >= atlas.recoveryQuorumSize)
        {
            conclude(attempt);
        }
    }

    private void absorb(
        final AtlasRecoveryAttempt attempt, final int from, final byte status, final long acceptedBallot,
        final long fastQuorum, final long[] deps, final int depsCount,
        final DirectBuffer commands, final int commandsOffset, final int commandsLength)
    {
        final long bit = 1L << from;
        attempt.replyMask |= bit;
        attempt.replyCount++;
        final int owner = Dot.replica(attempt.dot);
        if (from == owner)
        {
            attempt.ownerReplied = true;
        }
        if (commandsLength > 0 && attempt.payloadLength == 0 && status != DependencyInstances.ACCEPTED)
        {
            attempt.payload(commands, commandsOffset, commandsLength);
        }
        switch (status)
        {
            case DependencyInstances.COMMITTED:
            case DependencyInstances.EXECUTED:
                attempt.committed = true;
                break;

            case DependencyInstances.ACCEPTED:
                if (acceptedBallot > attempt.acceptedBallot)
                {
                    attempt.accepted(acceptedBallot, deps, depsCount, commands, commandsOffset, commandsLength);
                }
                break;

            case DependencyInstances.PRE_ACCEPTED:
                attempt.unionOfQuorum.addAll(deps, depsCount);
                if (acceptedBallot == Ballot.initial(atlas.core.epoch, owner))
                {
                    attempt.fastQuorumMask |= fastQuorum;
                    if (from != owner && (fastQuorum & bit) != 0)
                    {
                        attempt.unionOfFastQuorum.addAll(deps, depsCount);
                    }
                }
                else
                {
                    attempt.recoveryVoters |= bit;
                }
                break;

            default:
                attempt.payloadless |= bit;
                break;
        }
    }

    private void conclude(final AtlasRecoveryAttempt attempt)
    {
        final int slot = instances.slotOf(attempt.dot);
        final long ballot = attempt.ballot;
        if (slot == InstanceSlots.NO_SLOT || attempt.committed)
        {
            release(attempt); // decided meanwhile (its Commit reached the executor already)
            return;
        }
        final DotSet deps = instances.deps[slot];
        if (attempt.acceptedBallot != Ballot.NONE)
        {
            view.wrap(attempt.acceptedCommands, 0, attempt.acceptedCommandsLength);
            atlas.core.setCommands(slot, view, 0, attempt.acceptedCommandsLength);
            deps.copyFrom(attempt.acceptedDeps);
        }
        else if (attempt.payloadLength == 0)
        {
            atlas.core.setCommands(slot, noOp, 0, noOpLength);
            deps.clear();
        }
        else if (attempt.payloadless != 0)
        {
            // a replier computed no dependencies: learn the command, then ask again with it in the MRec
            if (instances.commandsLength[slot] == 0)
            {
                view.wrap(attempt.payload, 0, attempt.payloadLength);
                atlas.core.setCommands(slot, view, 0, attempt.payloadLength);
            }
            release(attempt);
            start(instances.slots.dotAt(slot));
            return;
        }
        else
        {
            if (instances.commandsLength[slot] == 0)
            {
                view.wrap(attempt.payload, 0, attempt.payloadLength);
                atlas.core.setCommands(slot, view, 0, attempt.payloadLength);
            }
            final boolean fastPathImpossible = attempt.ownerReplied || attempt.fastQuorumMask == 0 ||
                (attempt.recoveryVoters & attempt.fastQuorumMask) != 0;
            deps.copyFrom(fastPathImpossible ? attempt.unionOfQuorum : attempt.unionOfFastQuorum);
        }
        release(attempt);
        atlas.startAccept(slot, ballot, false);
    }

    private void release(final AtlasRecoveryAttempt attempt)
    {
        scheduler.release(attempt);
    }

    int activeCount()
    {
        return scheduler.activeCount();
    }
}
