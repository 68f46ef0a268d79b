package io.roundtable.protocol.dependency;

import io.roundtable.command.KeySet;
import io.roundtable.protocol.Ballot;
import io.roundtable.protocol.DotSet;
import io.roundtable.protocol.InstanceSlots;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * Every instance of a dependency-graph protocol (EPaxos, Atlas) this replica knows, as parallel arrays indexed by
 * slot ({@link InstanceSlots}). Acceptor state (status, promised and accepted ballots kept apart, seq, deps,
 * commands) for all instances; coordinator bookkeeping (replies, union, timers) is only meaningful for instances this
 * replica is coordinating. Public fields, because the cores of both protocols drive these arrays directly.
 */
public final class DependencyInstances implements InstanceSlots.GrowthListener
{
    public static final byte NONE = 0;
    public static final byte PRE_ACCEPTED = 1;
    public static final byte ACCEPTED = 2;
    public static final byte COMMITTED = 3;
    public static final byte EXECUTED = 4;

    public final InstanceSlots slots;

    public byte[] status = new byte[0];
    public long[] promisedBallot = new long[0];
    public long[] acceptedBallot = new long[0];
    public int[] seq = new int[0];
    public DotSet[] deps = new DotSet[0];
    public KeySet[] keys = new KeySet[0];
    public byte[][] commands = new byte[0][];
    public int[] commandsLength = new int[0];
    /** The commands now stored went into a journal record since they were stored: later records may omit them. */
    public boolean[] commandsJournaled = new boolean[0];
    public long[] fastQuorum = new long[0];
    public long[] undecidedSinceNs = new long[0];

    // coordinator bookkeeping: meaningful while this replica leads the instance's current ballot
    public boolean[] leading = new boolean[0];
    public long[] replyMask = new long[0];
    public int[] replyCount = new int[0];
    public boolean[] repliesIdentical = new boolean[0];
    public DotSet[] firstReplyDeps = new DotSet[0];
    public int[] firstReplySeq = new int[0];
    public DotSet[] depsReportedCommitted = new DotSet[0];
    public boolean[] widened = new boolean[0];
    public long[] phaseStartNs = new long[0];

    public DependencyInstances(final int initialCapacity)
    {
        slots = new InstanceSlots(initialCapacity, this);
        onGrow(slots.capacity());
    }

    /** Grows every per-slot array to {@code capacity}, filling new slots with their reusable objects. */
    public void onGrow(final int capacity)
    {
        final int oldCapacity = status.length;
        status = Arrays.copyOf(status, capacity);
        promisedBallot = Arrays.copyOf(promisedBallot, capacity);
        acceptedBallot = Arrays.copyOf(acceptedBallot, capacity);
        seq = Arrays.copyOf(seq, capacity);
        deps = Arrays.copyOf(deps, capacity);
        keys = Arrays.copyOf(keys, capacity);
        commands = Arrays.copyOf(commands, capacity);
        commandsLength = Arrays.copyOf(commandsLength, capacity);
        commandsJournaled = Arrays.copyOf(commandsJournaled, capacity);
        fastQuorum = Arrays.copyOf(fastQuorum, capacity);
        undecidedSinceNs = Arrays.copyOf(undecidedSinceNs, capacity);
        leading = Arrays.copyOf(leading, capacity);
        replyMask = Arrays.copyOf(replyMask, capacity);
        replyCount = Arrays.copyOf(replyCount, capacity);
        repliesIdentical = Arrays.copyOf(repliesIdentical, capacity);
        firstReplyDeps = Arrays.copyOf(firstReplyDeps, capacity);
        firstReplySeq = Arrays.copyOf(firstReplySeq, capacity);
        depsReportedCommitted = Arrays.copyOf(depsReportedCommitted, capacity);
        widened = Arrays.copyOf(widened, capacity);
        phaseStartNs = Arrays.copyOf(phaseStartNs, capacity);
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
    public int getOrCreate(final long dot)
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
            commandsJournaled[slot] = false;
            fastQuorum[slot] = 0;
            undecidedSinceNs[slot] = 0;
            leading[slot] = false;
            resetCoordination(slot);
        }
        return slot;
    }

    public int slotOf(final long dot)
    {
        return slots.slotOf(dot);
    }

    public void resetCoordination(final int slot)
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

    /**
     * A coordinator's reply filter.
     *
     * @return the slot if this replica leads {@code ballot} of the instance in the expected phase, else
     * {@link InstanceSlots#NO_SLOT} (a stale or duplicate reply, or an instance not ours to lead).
     */
    public int ledSlot(final long dot, final long ballot, final byte expectedStatus)
    {
        final int slot = slots.slotOf(dot);
        if (slot == InstanceSlots.NO_SLOT || !leading[slot] || status[slot] != expectedStatus ||
            promisedBallot[slot] != ballot)
        {
            return InstanceSlots.NO_SLOT;
        }
        return slot;
    }

    /** @return false for a second reply from the same replica in this phase (duplicated by the network). */
    public boolean recordReply(final int slot, final int from)
    {
        final long bit = 1L << from;
        if ((replyMask[slot] & bit) != 0)
        {
            return false;
        }
        replyMask[slot] |= bit;
        replyCount[slot]++;
        return true;
    }

    public boolean isCommitted(final long dot)
    {
        final int slot = slots.slotOf(dot);
        return slot != InstanceSlots.NO_SLOT && status[slot] >= COMMITTED;
    }

    public void storeCommands(final int slot, final DirectBuffer source, final int offset, final int length)
    {
        if (commands[slot].length < length)
        {
            commands[slot] = new byte[Math.max(length, commands[slot].length * 2)];
        }
        source.getBytes(offset, commands[slot], 0, length);
        commandsLength[slot] = length;
        commandsJournaled[slot] = false;
    }

    public void wrapCommands(final int slot, final UnsafeBuffer view)
    {
        view.wrap(commands[slot], 0, commandsLength[slot]);
    }
}
