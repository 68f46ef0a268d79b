package io.roundtable.protocol.tempo;

import io.roundtable.command.KeySet;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyClocksTest
{
    private final KeyClocks clocks = new KeyClocks();
    private final long[] from = new long[8];

    private static KeySet keys(final long... keys)
    {
        final KeySet set = new KeySet();
        for (final long key : keys)
        {
            set.add(key, true);
        }
        return set;
    }

    @Test
    void proposalIsAboveEveryClockOfItsKeysAndAtLeastTheMinimum()
    {
        clocks.raise(1, 5);
        clocks.raise(2, 9);
        assertEquals(10, clocks.propose(keys(1, 2), 0, from));
        assertEquals(10, clocks.clock(1));
        assertEquals(10, clocks.clock(2));
        assertEquals(20, clocks.propose(keys(1, 3), 20, from), "the coordinator's proposal is a floor");
        assertEquals(11, clocks.propose(keys(4), 11, from));
        assertEquals(12, clocks.propose(keys(4), 0, from));
    }

    @Test
    void voteRangesAreContiguousAndNeverOverlap()
    {
        clocks.raise(1, 5);
        final long first = clocks.propose(keys(1, 2), 0, from);
        assertEquals(6, first);
        assertEquals(6, from[0], "key 1 gave 6..6");
        assertEquals(1, from[1], "key 2 gave 1..6");
        final long second = clocks.propose(keys(2), 9, from);
        assertEquals(9, second);
        assertEquals(7, from[0], "key 2 gave 7..9: right after the previous range");
    }

    @Test
    void bumpIsIdempotentAndNeverLowersAClock()
    {
        final KeySet keys = keys(1, 2);
        clocks.bump(keys, 7);
        clocks.bump(keys, 7);
        clocks.bump(keys, 3);
        assertEquals(7, clocks.clock(1));
        assertEquals(7, clocks.clock(2));
        assertEquals(8, clocks.propose(keys, 0, from));
    }

    @Test
    void changedKeysAreTrackedUntilCleared()
    {
        clocks.bump(keys(1, 2), 4);
        assertEquals(2, clocks.changed().size());
        clocks.clearChanged();
        clocks.bump(keys(1), 4);
        assertEquals(0, clocks.changed().size(), "no move, no change");
        clocks.bump(keys(1), 5);
        assertEquals(1, clocks.changed().size());
    }

    @Test
    void foldedKeyKeepsItsClockInTheFloorAndComesBackPublished()
    {
        clocks.bump(keys(1, 2), 9);
        assertFalse(clocks.fold(1), "a clock not yet published is not folded");
        clocks.clearChanged();
        assertTrue(clocks.fold(1));
        assertEquals(1, clocks.keyCount());
        assertEquals(9, clocks.clock(1), "the floor keeps the folded clock");
        assertEquals(9, clocks.clock(77), "every key is at least at the floor");
        clocks.bump(keys(1), 3);
        assertTrue(clocks.hasRow(1), "a returning key gets its row back at once");
        assertTrue(clocks.changed().contains(1), "and is published again");
        assertEquals(9, clocks.clock(1));
        assertEquals(10, clocks.propose(keys(5), 0, from));
        assertEquals(10, from[0], "a new key's range starts above the floor");
    }

    @Test
    void floorSurvivesACheckpoint()
    {
        clocks.bump(keys(1, 2), 9);
        clocks.clearChanged();
        clocks.fold(1);
        final ExpandableArrayBuffer state = new ExpandableArrayBuffer(256);
        final int length = clocks.snapshot(state, 0);
        final KeyClocks restored = new KeyClocks();
        assertEquals(length, restored.restore(state, 0, length));
        assertEquals(9, restored.clock(1));
        assertEquals(9, restored.clock(2));
        assertEquals(1, restored.keyCount());
    }
}
