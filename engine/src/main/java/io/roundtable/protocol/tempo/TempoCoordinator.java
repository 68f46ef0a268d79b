package io.roundtable.protocol.tempo;

import io.roundtable.protocol.Ballot;
import io.roundtable.protocol.InstanceSlots;
import org.agrona.collections.LongArrayList;

/**
 * The coordinator's side of a Tempo instance: the proposal to the thrifty fast quorum, the fast-path decision,
 * single-decree consensus on the timestamp (slow path, and recovery's), and retransmission of phases whose quorum does
 * not answer in time. A widened proposal phase (a fast quorum member did not answer) never takes the fast path: it
 * waits for a majority of proposals, so the timestamp is still the max over a majority (what stability needs).
 */
final class TempoCoordinator
{
    private final Tempo tempo;
    private final TempoInstances instances;
    private final TempoPublisher publisher;
    private final int[] onePeer = new int[1];
    private final LongArrayList coordinating = new LongArrayList();

    TempoCoordinator(final Tempo tempo)
    {
        this.tempo = tempo;
        this.instances = tempo.instances;
        this.publisher = tempo.publisher;
    }

    /** A new command of this replica: its own proposal, journaled, then the others' from the fast quorum. */
    void propose(final int slot)
    {
        final long ballot = Ballot.initial(0, tempo.self);
        instances.promisedBallot[slot] = ballot;
        instances.fastQuorum[slot] = tempo.ranking.thriftyQuorumMask();
        tempo.trackUndecided(slot);
        tempo.propose(slot, 0, ballot);
        instances.status[slot] = TempoInstances.PROPOSED;
        tempo.journal.record(slot);
        lead(slot);
        instances.maxProposal[slot] = instances.proposal[slot];
        instances.wrapCommands(slot, tempo.commandsView);
        publisher.propose(tempo.peers, tempo.fastQuorumSize - 1, ballot, instances.slots.dotAt(slot),
            instances.proposal[slot], instances.fastQuorum[slot], tempo.commandsView, instances.commandsLength[slot]);
    }

    void onProposeAck(final int from, final long ballot, final long dot, final long timestamp)
    {
        final int slot = ledSlot(dot, ballot, TempoInstances.PROPOSED);
        if (slot == InstanceSlots.NO_SLOT || !recordReply(slot, from))
        {
            return;
        }
        if (timestamp > instances.maxProposal[slot])
        {
            instances.maxProposal[slot] = timestamp;
            instances.acceptorsAtMax[slot] = 1;
        }
        else if (timestamp == instances.maxProposal[slot])
        {
            instances.acceptorsAtMax[slot]++;
        }
        final int proposals = instances.replyCount[slot] + 1;
        if (!instances.widened[slot] && proposals == tempo.fastQuorumSize)
        {
            if (isFastPath(instances.acceptorsAtMax[slot], tempo.faults))
            {
                tempo.counters.fastPath++;
                instances.timestamp[slot] = instances.maxProposal[slot];
                tempo.decide(slot, true, true);
            }
            else
            {
                startConsensus(slot, ballot, instances.maxProposal[slot], true);
            }
        }
        else if (instances.widened[slot] && proposals >= tempo.majority)
        {
            startConsensus(slot, ballot, instances.maxProposal[slot], false);
        }
    }

    /**
     * The fast path: the max proposal was made by at least f+1 members of the fast quorum, the coordinator counted as
     * one of them. {@code acceptorsAtMax} counts the acceptors (not the coordinator) whose proposal is the max; when
     * the coordinator's own proposal is the max, every acceptor proposed it too.
     */
    static boolean isFastPath(final int acceptorsAtMax, final int faults)
    {
        return acceptorsAtMax + 1 >= faults + 1;
    }

    /** Single-decree consensus on {@code timestamp} at {@code ballot}: this replica accepts, then asks f others. */
    void startConsensus(final int slot, final long ballot, final long timestamp, final boolean thrifty)
    {
        tempo.accept(slot, ballot, timestamp);
        lead(slot);
        instances.widened[slot] = !thrifty;
        instances.wrapCommands(slot, tempo.commandsView);
        publisher.consensus(tempo.peers, thrifty ? tempo.slowQuorumSize - 1 : TempoPublisher.ALL, ballot,
            instances.slots.dotAt(slot), timestamp, tempo.commandsView, instances.commandsLength[slot]);
    }

    void onConsensusAck(final int from, final long ballot, final long dot)
    {
        final int slot = ledSlot(dot, ballot, TempoInstances.ACCEPTED);
        if (slot == InstanceSlots.NO_SLOT || !recordReply(slot, from))
        {
            return;
        }
        if (instances.replyCount[slot] + 1 >= tempo.slowQuorumSize)
        {
            if (Ballot.counter(ballot) == 0)
            {
                tempo.counters.slowPath++;
            }
            tempo.decide(slot, true, true);
        }
    }

    private void lead(final int slot)
    {
        instances.resetCoordination(slot);
        instances.leading[slot] = true;
        instances.phaseStartNs[slot] = tempo.nowNs;
        final long dot = instances.slots.dotAt(slot);
        if (!coordinating.containsLong(dot))
        {
            coordinating.addLong(dot);
        }
    }

    private int ledSlot(final long dot, final long ballot, final byte expectedStatus)
    {
        final int slot = instances.slotOf(dot);
        if (slot == InstanceSlots.NO_SLOT || !instances.leading[slot] || instances.status[slot] != expectedStatus ||
            instances.promisedBallot[slot] != ballot)
        {
            return InstanceSlots.NO_SLOT;
        }
        return slot;
    }

    private boolean recordReply(final int slot, final int from)
    {
        final long bit = 1L << from;
        if ((instances.replyMask[slot] & bit) != 0)
        {
            return false;
        }
        instances.replyMask[slot] |= bit;
        instances.replyCount[slot]++;
        if (!instances.widened[slot]) // after a resend, a late reply to the first send would look fast
        {
            tempo.ranking.onReply(from, tempo.nowNs - instances.phaseStartNs[slot]);
        }
        return true;
    }

    /**
     * Resends a phase whose quorum has not answered within the phase timeout to every replica that has not replied:
     * the first time this widens a thrifty phase (a widened proposal phase then waits for a majority and takes the slow
     * path), later times it makes up for lost messages.
     */
    void retransmitStalledPhases()
    {
        for (int i = coordinating.size() - 1; i >= 0; i--)
        {
            final long dot = coordinating.getLong(i);
            final int slot = instances.slotOf(dot);
            if (slot == InstanceSlots.NO_SLOT || !instances.leading[slot] ||
                instances.status[slot] >= TempoInstances.COMMITTED)
            {
                coordinating.fastUnorderedRemove(i);
                continue;
            }
            if (tempo.nowNs - instances.phaseStartNs[slot] < tempo.phaseTimeoutNs)
            {
                continue;
            }
            instances.widened[slot] = true;
            instances.phaseStartNs[slot] = tempo.nowNs;
            instances.wrapCommands(slot, tempo.commandsView);
            final boolean proposing = instances.status[slot] == TempoInstances.PROPOSED;
            for (final int peer : tempo.peers)
            {
                if ((instances.replyMask[slot] & (1L << peer)) != 0)
                {
                    continue;
                }
                if (proposing && (instances.fastQuorum[slot] & (1L << peer)) != 0)
                {
                    tempo.ranking.onNoReply(peer, tempo.phaseTimeoutNs);
                }
                onePeer[0] = peer;
                if (proposing)
                {
                    publisher.propose(onePeer, 1, instances.promisedBallot[slot], dot, instances.proposal[slot],
                        instances.fastQuorum[slot], tempo.commandsView, instances.commandsLength[slot]);
                }
                else
                {
                    publisher.consensus(onePeer, 1, instances.promisedBallot[slot], dot, instances.timestamp[slot],
                        tempo.commandsView, instances.commandsLength[slot]);
                }
            }
            if (proposing && instances.replyCount[slot] + 1 >= tempo.majority)
            {
                startConsensus(slot, instances.promisedBallot[slot], instances.maxProposal[slot], false);
            }
        }
    }
}
