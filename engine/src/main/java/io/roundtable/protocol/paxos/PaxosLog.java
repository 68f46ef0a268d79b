package io.roundtable.protocol.paxos;

import io.roundtable.protocol.Ballot;
import io.roundtable.protocol.Dot;
import io.roundtable.protocol.InstanceSlots;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * The replicated log as parallel arrays indexed by {@link InstanceSlots} slot, keyed by the log position's dot
 * {@code 0.s}. Acceptor state (status, accepted ballot, value) for every position this replica holds, and the leader's
 * phase-2 bookkeeping (who accepted, when the Accept was last sent) for positions it is proposing. Positions executed
 * everywhere are freed, so memory tracks the in-flight window, not the history.
 */
final class PaxosLog implements InstanceSlots.GrowthListener
{
    static final byte NONE = 0;
    static final byte ACCEPTED = 2;
    static final byte COMMITTED = 3;
    static final byte EXECUTED = 4;

    final InstanceSlots slots;

    byte[] status = new byte[0];
    long[] acceptedBallot = new long[0];
    byte[][] commands = new byte[0][];
    int[] commandsLength = new int[0];
    /** The stored value went into a journal record since it was stored: later records of the position omit it. */
    boolean[] commandsJournaled = new boolean[0];
    /** Leader only: replicas that accepted the position at the leader's ballot (bit per replica). */
    long[] acceptedBy = new long[0];
    long[] acceptSentNs = new long[0];

    PaxosLog(final int initialCapacity)
    {
        slots = new InstanceSlots(initialCapacity, this);
        onGrow(slots.capacity());
    }

    static long dotOf(final long position)
    {
        return Dot.of(0, position);
    }

    public void onGrow(final int capacity)
    {
        final int oldCapacity = status.length;
        status = Arrays.copyOf(status, capacity);
        acceptedBallot = Arrays.copyOf(acceptedBallot, capacity);
        commands = Arrays.copyOf(commands, capacity);
        commandsLength = Arrays.copyOf(commandsLength, capacity);
        commandsJournaled = Arrays.copyOf(commandsJournaled, capacity);
        acceptedBy = Arrays.copyOf(acceptedBy, capacity);
        acceptSentNs = Arrays.copyOf(acceptSentNs, capacity);
        for (int i = oldCapacity; i < capacity; i++)
        {
            commands[i] = new byte[64];
        }
    }

    /** @return the slot of log position {@code position}, or {@link InstanceSlots#NO_SLOT}. */
    int slotOf(final long position)
    {
        return slots.slotOf(dotOf(position));
    }

    /** @return the slot of {@code position}, creating an empty one (status NONE) if this replica holds nothing. */
    int getOrCreate(final long position)
    {
        final long dot = dotOf(position);
        int slot = slots.slotOf(dot);
        if (slot == InstanceSlots.NO_SLOT)
        {
            slot = slots.allocate(dot);
            status[slot] = NONE;
            acceptedBallot[slot] = Ballot.NONE;
            commandsLength[slot] = 0;
            commandsJournaled[slot] = false;
            acceptedBy[slot] = 0;
            acceptSentNs[slot] = 0;
        }
        return slot;
    }

    byte statusAt(final long position)
    {
        final int slot = slotOf(position);
        return slot == InstanceSlots.NO_SLOT ? NONE : status[slot];
    }

    boolean isChosen(final long position)
    {
        return statusAt(position) >= COMMITTED;
    }

    long positionAt(final int slot)
    {
        return Dot.instance(slots.dotAt(slot));
    }

    void storeCommands(final int slot, final DirectBuffer source, final int offset, final int length)
    {
        if (commands[slot].length < length)
        {
            commands[slot] = new byte[Math.max(length, commands[slot].length * 2)];
        }
        source.getBytes(offset, commands[slot], 0, length);
        commandsLength[slot] = length;
        commandsJournaled[slot] = false;
    }

    void wrapCommands(final int slot, final UnsafeBuffer view)
    {
        view.wrap(commands[slot], 0, commandsLength[slot]);
    }

    void free(final long position)
    {
        slots.free(dotOf(position));
    }
}
