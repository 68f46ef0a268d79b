package io.roundtable.protocol.epaxos;

import io.roundtable.command.KeySet;
import io.roundtable.protocol.Ballot;
import io.roundtable.protocol.DotSet;
import io.roundtable.protocol.InstanceSlots;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * Every EPaxos instance this replica knows, as parallel arrays indexed by slot ({@link InstanceSlots}). Acceptor
 * state (status, promised and accepted ballots kept apart, seq, deps, commands) for all instances; coordinator
 * bookkeeping (replies, union, timers) is only meaningful for instances this replica is coordinating.
 */
final class EpaxosInstances implements InstanceSlots.GrowthListener
{
    static final byte NONE = 0;
    static final byte PRE_ACCEPTED = 1;
    static final byte ACCEPTED = 2;
    static final byte COMMITTED = 3;
    static final byte EXECUTED = 4;

    final InstanceSlots slots;

    byte[] status;
    long[] promisedBallot;
    long[] acceptedBallot;
    int[] seq;
    DotSet[] deps;
    KeySet[] keys;
    byte[][] commands;
    int[] commandsLength;
    long[] fastQuorum;
    long[] undecidedSinceNs;

    // coordinator bookkeeping: meaningful while this replica leads the instance's current ballot
    boolean[] leading;
    long[] replyMask;
    int[] replyCount;
    boolean[] repliesIdentical;
    DotSet[] firstReplyDeps;
    int[] firstReplySeq;
    DotSet[] depsReportedCommitted;
    boolean[] widened;
    long[] phaseStartNs;

    EpaxosInstances(final int initialCapacity)
    {
        slots = new InstanceSlots(initialCapacity, this);
        allocate(slots.capacity(), 0);
    }

    public void onGrow(final int newCapacity)
    {
        allocate(newCapacity, status.length);
    }

    private void allocate(final int capacity, final int oldCapacity)
    {
        status = oldCapacity == 0 ? new byte[capacity] : Arrays.copyOf(status, capacity);
        promisedBallot = oldCapacity == 0 ? new long[capacity] : Arrays.copyOf(promisedBallot, capacity);
        acceptedBallot = oldCapacity == 0 ? new long[capacity] : Arrays.copyOf(acceptedBallot, capacity);
        seq = oldCapacity == 0 ? new int[capacity] : Arrays.copyOf(seq, capacity);
        deps = oldCapacity == 0 ? new DotSet[capacity] : Arrays.copyOf(deps, capacity);
        keys = oldCapacity == 0 ? new KeySet[capacity] : Arrays.copyOf(keys, capacity);
        commands = oldCapacity == 0 ? new byte[capacity][] : Arrays.copyOf(commands, capacity);
        commandsLength = oldCapacity == 0 ? new int[capacity] : Arrays.copyOf(commandsLength, capacity);
        fastQuorum = oldCapacity == 0 ? new long[capacity] : Arrays.copyOf(fastQuorum, capacity);
        undecidedSinceNs = oldCapacity == 0 ? new long[capacity] : Arrays.copyOf(undecidedSinceNs, capacity);
        leading = oldCapacity == 0 ? new boolean[capacity] : Arrays.copyOf(leading, capacity);
        replyMask = oldCapacity == 0 ? new long[capacity] : Arrays.copyOf(replyMask, capacity);
        replyCount = oldCapacity == 0 ? new int[capacity] : Arrays.copyOf(replyCount, capacity);
        repliesIdentical = oldCapacity == 0 ? new boolean[capacity] : Arrays.copyOf(repliesIdentical, capacity);
        firstReplyDeps = oldCapacity == 0 ? new DotSet[capacity] : Arrays.copyOf(firstReplyDeps, capacity);
        firstReplySeq = oldCapacity == 0 ? new int[capacity] : Arrays.copyOf(firstReplySeq, capacity);
        depsReportedCommitted = oldCapacity == 0 ? new DotSet[capacity] : Arrays.copyOf(depsReportedCommitted, capacity);
        widened = oldCapacity == 0 ? new boolean[capacity] : Arrays.copyOf(widened, capacity);
        phaseStartNs = oldCapacity == 0 ? new long[capacity] : Arrays.copyOf(phaseStartNs, capacity);
        for (int i = oldCapacity; i < capacity; i++)
        {
            deps[i] = new DotSet(8);
            keys[i] = new KeySet(4);
            commands[i] = new byte[64];
            firstReplyDeps[i] = new DotSet(8);
            depsReportedCommitted[i] = new DotSet(8);
        }
    }

    /** @return the slot for {@code dot}, creating an empty (status NONE) instance if unknown. */
    int getOrCreate(final long dot)
    {
        int slot = slots.slotOf(dot);
        if (slot == InstanceSlots.NO_SLOT)
        {
            slot = slots.allocate(dot);
            status[slot] = NONE;
            promisedBallot[slot] = Ballot.NONE;
            acceptedBallot[slot] = Ballot.NONE;
            seq[slot] = 0;
            deps[slot].clear();
            keys[slot].clear();
            commandsLength[slot] = 0;
            fastQuorum[slot] = 0;
            undecidedSinceNs[slot] = 0;
            leading[slot] = false;
            resetCoordination(slot);
        }
        return slot;
    }

    int slotOf(final long dot)
    {
        return slots.slotOf(dot);
    }

    void resetCoordination(final int slot)
    {
        replyMask[slot] = 0;
        replyCount[slot] = 0;
        repliesIdentical[slot] = true;
        firstReplyDeps[slot].clear();
        firstReplySeq[slot] = 0;
        depsReportedCommitted[slot].clear();
        widened[slot] = false;
        phaseStartNs[slot] = 0;
    }

    boolean isCommitted(final long dot)
    {
        final int slot = slots.slotOf(dot);
        return slot != InstanceSlots.NO_SLOT && status[slot] >= COMMITTED;
    }

    void storeCommands(final int slot, final DirectBuffer source, final int offset, final int length)
    {
        if (commands[slot].length < length)
        {
            commands[slot] = new byte[Math.max(length, commands[slot].length * 2)];
        }
        source.getBytes(offset, commands[slot], 0, length);
        commandsLength[slot] = length;
    }

    void wrapCommands(final int slot, final UnsafeBuffer view)
    {
        view.wrap(commands[slot], 0, commandsLength[slot]);
    }
}
