package io.roundtable.protocol.tempo;

import io.roundtable.command.KeySet;
import io.roundtable.protocol.Ballot;
import io.roundtable.protocol.InstanceSlots;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * Every Tempo instance this replica knows, as parallel arrays indexed by slot ({@link InstanceSlots}). Acceptor state:
 * status, the promised ballot and, apart from it, the ballot the timestamp was accepted in (consensus), this replica's
 * own proposal and the attached promises it took (per key, the range {@code voteFrom..proposal}), and the commands.
 * Coordinator bookkeeping (replies, the max proposal and how many acceptors proposed it) only matters while this replica
 * leads the instance.
 */
final class TempoInstances implements InstanceSlots.GrowthListener
{
    static final byte NONE = 0;
    static final byte PROPOSED = 1;
    static final byte ACCEPTED = 2;
    static final byte COMMITTED = 3;
    static final byte EXECUTED = 4;

    final InstanceSlots slots;

    byte[] status = new byte[0];
    long[] promisedBallot = new long[0];
    long[] acceptedBallot = new long[0];
    /** The accepted timestamp (status ACCEPTED) or the decided one (COMMITTED and later). */
    long[] timestamp = new long[0];
    long[] proposalBallot = new long[0];
    long[] proposal = new long[0];
    long[] fastQuorum = new long[0];
    long[][] voteKeys = new long[0][];
    long[][] voteFrom = new long[0][];
    int[] voteCount = new int[0];
    KeySet[] keys = new KeySet[0];
    byte[][] commands = new byte[0][];
    int[] commandsLength = new int[0];
    boolean[] commandsJournaled = new boolean[0];
    long[] undecidedSinceNs = new long[0];
    long[] committedAtNs = new long[0];

    boolean[] leading = new boolean[0];
    long[] replyMask = new long[0];
    int[] replyCount = new int[0];
    long[] maxProposal = new long[0];
    int[] acceptorsAtMax = new int[0];
    boolean[] widened = new boolean[0];
    long[] phaseStartNs = new long[0];

    TempoInstances(final int initialCapacity)
    {
        slots = new InstanceSlots(initialCapacity, this);
        onGrow(slots.capacity());
    }

    public void onGrow(final int capacity)
    {
        final int oldCapacity = status.length;
        status = Arrays.copyOf(status, capacity);
        promisedBallot = Arrays.copyOf(promisedBallot, capacity);
        acceptedBallot = Arrays.copyOf(acceptedBallot, capacity);
        timestamp = Arrays.copyOf(timestamp, capacity);
        proposalBallot = Arrays.copyOf(proposalBallot, capacity);
        proposal = Arrays.copyOf(proposal, capacity);
        fastQuorum = Arrays.copyOf(fastQuorum, capacity);
        voteKeys = Arrays.copyOf(voteKeys, capacity);
        voteFrom = Arrays.copyOf(voteFrom, capacity);
        voteCount = Arrays.copyOf(voteCount, capacity);
        keys = Arrays.copyOf(keys, capacity);
        commands = Arrays.copyOf(commands, capacity);
        commandsLength = Arrays.copyOf(commandsLength, capacity);
        commandsJournaled = Arrays.copyOf(commandsJournaled, capacity);
        undecidedSinceNs = Arrays.copyOf(undecidedSinceNs, capacity);
        committedAtNs = Arrays.copyOf(committedAtNs, capacity);
        leading = Arrays.copyOf(leading, capacity);
        replyMask = Arrays.copyOf(replyMask, capacity);
        replyCount = Arrays.copyOf(replyCount, capacity);
        maxProposal = Arrays.copyOf(maxProposal, capacity);
        acceptorsAtMax = Arrays.copyOf(acceptorsAtMax, capacity);
        widened = Arrays.copyOf(widened, capacity);
        phaseStartNs = Arrays.copyOf(phaseStartNs, capacity);
        for (int i = oldCapacity; i < capacity; i++)
        {
            voteKeys[i] = new long[4];
            voteFrom[i] = new long[4];
            keys[i] = new KeySet(4);
            commands[i] = new byte[64];
        }
    }

    int getOrCreate(final long dot)
    {
        int slot = slots.slotOf(dot);
        if (slot == InstanceSlots.NO_SLOT)
        {
            slot = slots.allocate(dot);
            status[slot] = NONE;
            promisedBallot[slot] = Ballot.NONE;
            acceptedBallot[slot] = Ballot.NONE;
            timestamp[slot] = 0;
            proposalBallot[slot] = Ballot.NONE;
            proposal[slot] = 0;
            fastQuorum[slot] = 0;
            voteCount[slot] = 0;
            keys[slot].clear();
            commandsLength[slot] = 0;
            commandsJournaled[slot] = false;
            undecidedSinceNs[slot] = 0;
            committedAtNs[slot] = 0;
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
        maxProposal[slot] = 0;
        acceptorsAtMax[slot] = 0;
        widened[slot] = false;
        phaseStartNs[slot] = 0;
    }

    boolean isCommitted(final long dot)
    {
        final int slot = slots.slotOf(dot);
        return slot != InstanceSlots.NO_SLOT && status[slot] >= COMMITTED;
    }

    boolean hasCommands(final int slot)
    {
        return commandsLength[slot] > 0;
    }

    /** Records this replica's own attached promises: on key {@code keys[i]}, the range {@code from[i]..proposal}. */
    void setVotes(final int slot, final long[] keysOfVotes, final long[] from, final int count)
    {
        if (voteKeys[slot].length < count)
        {
            voteKeys[slot] = new long[Math.max(count, voteKeys[slot].length * 2)];
            voteFrom[slot] = new long[voteKeys[slot].length];
        }
        System.arraycopy(keysOfVotes, 0, voteKeys[slot], 0, count);
        System.arraycopy(from, 0, voteFrom[slot], 0, count);
        voteCount[slot] = count;
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
}
