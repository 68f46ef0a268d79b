package io.roundtable.protocol.atlas;

import io.roundtable.conflict.ConflictIndex;
import io.roundtable.protocol.DotSet;
import io.roundtable.protocol.InstanceSlots;
import io.roundtable.protocol.ThresholdUnion;
import io.roundtable.protocol.dependency.DependencyInstances;
import io.roundtable.protocol.dependency.DependencyPublisher;
import io.roundtable.protocol.dependency.PhaseRetransmitter;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;

import java.util.ArrayDeque;

/**
 * The leader's side of an Atlas instance: the collect phase (MCollect to the thrifty fast quorum, the k-threshold
 * fast-path test), the single-decree consensus (MConsensus to f+1, or to all for a recovery or after a timeout), and
 * retransmission of phases whose quorum does not answer in time. A recoverer uses the consensus part only.
 */
final class AtlasCoordinator implements PhaseRetransmitter
{
    private final Atlas atlas;
    private final DependencyInstances instances;
    private final ConflictIndex conflicts;
    private final DependencyPublisher publisher;
    private final int[] peers;
    private final LongArrayList coordinating = new LongArrayList();
    private final Long2ObjectHashMap<ThresholdUnion> reports = new Long2ObjectHashMap<>();
    private final ArrayDeque<ThresholdUnion> pool = new ArrayDeque<>();

    AtlasCoordinator(final Atlas atlas)
    {
        this.atlas = atlas;
        this.instances = atlas.instances;
        this.conflicts = atlas.conflicts;
        this.publisher = atlas.publisher;
        this.peers = atlas.core.peers;
    }

    /**
     * The owner proposes its command at its initial ballot: {@code past} = its own conflicts, journaled as its
     * collect vote before MCollect goes to the ⌊N/2⌋+f−1 nearest peers.
     */
    void startCollect(final int slot)
    {
        final long dot = instances.slots.dotAt(slot);
        final DotSet deps = instances.deps[slot];
        deps.clear();
        conflicts.collect(instances.keys[slot], dot, deps);
        instances.seq[slot] = 0;
        instances.fastQuorum[slot] = atlas.core.thriftyFastQuorumMask();
        atlas.core.setVote(slot, DependencyInstances.PRE_ACCEPTED, atlas.core.initialBallot);
        lead(slot);
        final ThresholdUnion union = pool.isEmpty() ? new ThresholdUnion() : pool.pop();
        union.clear();
        releaseReports(dot);
        reports.put(dot, union);
        instances.wrapCommands(slot, atlas.core.commandsView);
        publisher.preAccept(peers, atlas.core.fastQuorumSize - 1, atlas.core.initialBallot, dot, 0,
            instances.fastQuorum[slot], deps, atlas.core.commandsView, instances.commandsLength[slot]);
    }

    /**
     * MCollectAck. Once every fast-quorum member answered: fast path iff each dependency was reported by at least f
     * of them (the coordinator counted as the union, see {@link ThresholdUnion}), else consensus on the union with the
     * f+1 nearest. After a timeout widened the phase the fast path is off for good (a fast decision must come from
     * the recorded quorum, or recovery's Property 2 fails): a majority's union goes to consensus.
     */
    void onCollectAck(final int from, final long ballot, final long dot, final long[] deps, final int depsCount)
    {
        final int slot = instances.ledSlot(dot, ballot, DependencyInstances.PRE_ACCEPTED);
        if (slot == InstanceSlots.NO_SLOT || !atlas.core.recordReply(slot, from))
        {
            return;
        }
        instances.deps[slot].addAll(deps, depsCount);
        final ThresholdUnion union = reports.get(dot);
        final long selfBit = 1L << atlas.core.self;
        final long othersInQuorum = instances.fastQuorum[slot] & ~selfBit;
        if (union != null && (othersInQuorum & (1L << from)) != 0)
        {
            union.add(deps, depsCount);
        }
        if (!instances.widened[slot] && (instances.replyMask[slot] & othersInQuorum) == othersInQuorum)
        {
            if (union != null && union.everyDotReportedAtLeast(atlas.faults))
            {
                atlas.core.counters.fastPath++;
                releaseReports(dot);
                atlas.core.decide(slot, true);
            }
            else
            {
                startAccept(slot, ballot, true);
            }
        }
        else if (instances.widened[slot] && instances.replyCount[slot] + 1 >= atlas.majority)
        {
            startAccept(slot, ballot, false);
        }
    }

    /** MConsensus of the dependencies now in {@code slot} at {@code ballot}: to the f nearest, or to all. */
    void startAccept(final int slot, final long ballot, final boolean thrifty)
    {
        final long dot = instances.slots.dotAt(slot);
        releaseReports(dot);
        instances.seq[slot] = 0;
        atlas.core.setVote(slot, DependencyInstances.ACCEPTED, ballot);
        lead(slot);
        instances.widened[slot] = !thrifty;
        instances.wrapCommands(slot, atlas.core.commandsView);
        publisher.accept(peers, thrifty ? atlas.core.slowQuorumSize - 1 : DependencyPublisher.ALL, ballot, dot, 0,
            instances.deps[slot], atlas.core.commandsView, instances.commandsLength[slot]);
    }

    /** MConsensusAck: f+1 acceptors (this replica included) choose the value. */
    void onConsensusAck(final int from, final long ballot, final long dot)
    {
        final int slot = instances.ledSlot(dot, ballot, DependencyInstances.ACCEPTED);
        if (slot == InstanceSlots.NO_SLOT || !atlas.core.recordReply(slot, from))
        {
            return;
        }
        if (instances.replyCount[slot] + 1 >= atlas.core.slowQuorumSize)
        {
            atlas.core.counters.slowPath++;
            atlas.core.decide(slot, true);
        }
    }

    private void lead(final int slot)
    {
        instances.resetCoordination(slot);
        instances.leading[slot] = true;
        instances.phaseStartNs[slot] = atlas.core.nowNs();
        final long dot = instances.slots.dotAt(slot);
        if (!coordinating.containsLong(dot))
        {
            coordinating.addLong(dot);
        }
    }

    private void releaseReports(final long dot)
    {
        final ThresholdUnion union = reports.remove(dot);
        if (union != null)
        {
            pool.push(union);
        }
    }

    /**
     * Resends a phase whose quorum has not answered within the phase timeout to every replica that has not replied:
     * the first time this widens a thrifty phase (a collect then never goes fast), later times it makes up for lost
     * messages. A widened collect with a majority of replies goes to consensus.
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
                releaseReports(dot);
                continue;
            }
            if (atlas.core.nowNs() - instances.phaseStartNs[slot] < atlas.core.phaseTimeoutNs)
            {
                continue;
            }
            instances.widened[slot] = true;
            releaseReports(dot);
            instances.phaseStartNs[slot] = atlas.core.nowNs();
            atlas.core.resendToSilentPeers(slot);
            if (instances.status[slot] == DependencyInstances.PRE_ACCEPTED &&
                instances.replyCount[slot] + 1 >= atlas.majority)
            {
                startAccept(slot, instances.promisedBallot[slot], false);
            }
        }
    }
}
