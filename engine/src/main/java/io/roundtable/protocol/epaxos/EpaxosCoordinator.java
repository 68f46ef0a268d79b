package io.roundtable.protocol.epaxos;

import io.roundtable.protocol.dependency.DependencyInstances;
import io.roundtable.protocol.dependency.DependencyPublisher;
import io.roundtable.protocol.dependency.PhaseRetransmitter;
import io.roundtable.protocol.DotSet;
import io.roundtable.protocol.InstanceSlots;
import io.roundtable.protocol.ProtocolCounters;
import io.roundtable.conflict.ConflictIndex;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The leader's side of an EPaxos instance, for the original coordinator at the initial ballot and for a recoverer at
 * a higher one: Phase 1 (thrifty PreAccept, the fast-path decision), Paxos-Accept, and retransmission of phases whose
 * quorum does not answer in time.
 */
final class EpaxosCoordinator implements PhaseRetransmitter
{
    private final Epaxos epaxos;
    private final DependencyInstances instances;
    private final ConflictIndex conflicts;
    private final DependencyPublisher publisher;
    private final ProtocolCounters counters;
    private final UnsafeBuffer commandsView;
    private final int[] peers;
    private final int fastQuorumSize;
    private final int slowQuorumSize;
    private final long phaseTimeoutNs;
    private final LongArrayList coordinating = new LongArrayList();

    EpaxosCoordinator(final Epaxos epaxos)
    {
        this.epaxos = epaxos;
        this.instances = epaxos.instances;
        this.conflicts = epaxos.conflicts;
        this.publisher = epaxos.publisher;
        this.counters = epaxos.core.counters;
        this.commandsView = epaxos.core.commandsView;
        this.peers = epaxos.core.peers;
        this.fastQuorumSize = epaxos.core.fastQuorumSize;
        this.slowQuorumSize = epaxos.core.slowQuorumSize;
        this.phaseTimeoutNs = epaxos.core.phaseTimeoutNs;
    }

    private void setVote(final int slot, final byte status, final long ballot)
    {
        epaxos.core.setVote(slot, status, ballot);
    }

    private void decide(final int slot, final boolean asLeader)
    {
        epaxos.core.decide(slot, asLeader);
    }

    /**
     * Phase 1 as the leader of {@code ballot}: attributes from this replica's conflicts, PreAccept to the thrifty
     * fast quorum (or to every replica when {@code slowPathOnly}, as recovery does).
     */
    void startPreAccept(final int slot, final long ballot, final boolean slowPathOnly)
    {
        final long dot = instances.slots.dotAt(slot);
        final DotSet deps = instances.deps[slot];
        deps.clear();
        instances.seq[slot] = conflicts.collect(instances.keys[slot], dot, deps) + 1;
        instances.fastQuorum[slot] = slowPathOnly ? 0 : epaxos.core.thriftyFastQuorumMask();
        setVote(slot, DependencyInstances.PRE_ACCEPTED, ballot);
        lead(slot);
        instances.widened[slot] = slowPathOnly;
        instances.wrapCommands(slot, commandsView);
        publisher.preAccept(peers, slowPathOnly ? DependencyPublisher.ALL : fastQuorumSize - 1, ballot, dot,
            instances.seq[slot], instances.fastQuorum[slot], deps, commandsView, instances.commandsLength[slot]);
    }

    /** Paxos-Accept of the tuple now in {@code slot}, as the leader of {@code ballot}. */
    void startAccept(final int slot, final long ballot, final boolean thrifty)
    {
        final long dot = instances.slots.dotAt(slot);
        setVote(slot, DependencyInstances.ACCEPTED, ballot);
        lead(slot);
        instances.widened[slot] = !thrifty;
        instances.wrapCommands(slot, commandsView);
        publisher.accept(peers, thrifty ? slowQuorumSize - 1 : DependencyPublisher.ALL, ballot, dot,
            instances.seq[slot], instances.deps[slot], commandsView, instances.commandsLength[slot]);
    }

    private void lead(final int slot)
    {
        instances.resetCoordination(slot);
        instances.leading[slot] = true;
        instances.phaseStartNs[slot] = epaxos.core.nowNs();
        final long dot = instances.slots.dotAt(slot);
        if (!coordinating.containsLong(dot))
        {
            coordinating.addLong(dot);
        }
    }

    void onPreAcceptOk(
        final int from, final long ballot, final long dot, final int seq, final long[] deps,
        final boolean[] depsCommitted, final int depsCount)
    {
        final int slot = instances.ledSlot(dot, ballot, DependencyInstances.PRE_ACCEPTED);
        if (slot == InstanceSlots.NO_SLOT || !epaxos.core.recordReply(slot, from))
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
        if (!instances.widened[slot] && votes == fastQuorumSize)
        {
            if (instances.repliesIdentical[slot] && depsCommittedInQuorum(slot))
            {
                counters.fastPath++;
                decide(slot, true);
            }
            else
            {
                startAccept(slot, ballot, true);
            }
        }
        else if (instances.widened[slot] && votes >= slowQuorumSize)
        {
            startAccept(slot, ballot, false);
        }
    }

    void onAcceptOk(final int from, final long ballot, final long dot)
    {
        final int slot = instances.ledSlot(dot, ballot, DependencyInstances.ACCEPTED);
        if (slot == InstanceSlots.NO_SLOT || !epaxos.core.recordReply(slot, from))
        {
            return;
        }
        if (instances.replyCount[slot] + 1 >= slowQuorumSize)
        {
            counters.slowPath++;
            decide(slot, true);
        }
    }


    /** FP-deps-committed: every dependency is known committed by some member of the fast quorum. */
    private boolean depsCommittedInQuorum(final int slot)
    {
        final DotSet deps = instances.deps[slot];
        final DotSet reported = instances.depsReportedCommitted[slot];
        for (int i = 0, n = deps.size(); i < n; i++)
        {
            final long dep = deps.get(i);
            if (!reported.contains(dep) && !instances.isCommitted(dep) && !epaxos.core.isCollected(dep))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Resends a phase whose quorum has not answered within the phase timeout to every replica that has not replied:
     * the first time this widens a thrifty phase (after which only the slow path is taken), later times it makes up
     * for lost messages.
     */
    public void retransmitStalledPhases()
    {
        for (int i = coordinating.size() - 1; i >= 0; i--)
        {
            final long dot = coordinating.getLong(i);
            final int slot = instances.slotOf(dot);
            if (slot == InstanceSlots.NO_SLOT || !instances.leading[slot] ||
                instances.status[slot] >= DependencyInstances.COMMITTED)
            {
                coordinating.fastUnorderedRemove(i);
                continue;
            }
            if (epaxos.core.nowNs() - instances.phaseStartNs[slot] < phaseTimeoutNs)
            {
                continue;
            }
            instances.widened[slot] = true;
            instances.phaseStartNs[slot] = epaxos.core.nowNs();
            epaxos.core.resendToSilentPeers(slot);
            if (instances.status[slot] == DependencyInstances.PRE_ACCEPTED &&
                instances.replyCount[slot] + 1 >= slowQuorumSize)
            {
                startAccept(slot, instances.promisedBallot[slot], false);
            }
        }
    }
}
