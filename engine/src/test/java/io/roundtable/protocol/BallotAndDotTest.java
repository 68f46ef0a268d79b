package io.roundtable.protocol;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BallotAndDotTest
{
    @Test
    void ballotsOrderByEpochThenCounterThenReplica()
    {
        assertTrue(Ballot.of(0, 0, 4) < Ballot.of(0, 1, 0));
        assertTrue(Ballot.of(0, 9, 4) < Ballot.of(1, 0, 0));
        assertTrue(Ballot.of(0, 1, 1) < Ballot.of(0, 1, 2));
        assertTrue(Ballot.NONE < Ballot.initial(0, 0));
        assertEquals(3, Ballot.replica(Ballot.of(2, 5, 3)));
        assertEquals(5, Ballot.counter(Ballot.of(2, 5, 3)));
        assertEquals(2, Ballot.epoch(Ballot.of(2, 5, 3)));
    }

    @Test
    void nextAboveIsHigherAndOwnedByTheCaller()
    {
        final long owners = Ballot.initial(0, 4);
        final long recovery = Ballot.nextAbove(owners, 1);
        assertTrue(recovery > owners);
        assertEquals(1, Ballot.replica(recovery));
        assertTrue(Ballot.nextAbove(recovery, 4) > recovery);
        assertTrue(Ballot.nextAbove(Ballot.NONE, 2) > Ballot.NONE);
    }

    @Test
    void dotsPackReplicaAndInstance()
    {
        final long dot = Dot.of(17, 123_456_789_012L);
        assertEquals(17, Dot.replica(dot));
        assertEquals(123_456_789_012L, Dot.instance(dot));
        assertEquals("17.123456789012", Dot.toString(dot));
        assertTrue(Dot.of(0, 5) < Dot.of(1, 1), "dots order by replica then instance");
        assertThrows(IllegalArgumentException.class, () -> Dot.of(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> Dot.of(1, Dot.MAX_INSTANCE + 1));
    }

    @Test
    void dotSetStaysSortedAndUnique()
    {
        final DotSet set = new DotSet(1);
        set.add(Dot.of(2, 1));
        set.add(Dot.of(0, 3));
        set.add(Dot.of(1, 1));
        set.add(Dot.of(0, 3));
        assertEquals(3, set.size());
        assertEquals(Dot.of(0, 3), set.get(0));
        assertEquals(Dot.of(2, 1), set.get(2));
        assertTrue(set.remove(Dot.of(1, 1)));
        assertTrue(set.sameAs(new long[] {Dot.of(0, 3), Dot.of(2, 1)}, 2));
    }
}
