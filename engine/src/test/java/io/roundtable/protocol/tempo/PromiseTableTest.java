package io.roundtable.protocol.tempo;

import io.roundtable.command.KeySet;
import io.roundtable.protocol.Dot;
import io.roundtable.protocol.TimestampSink;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongHashSet;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PromiseTableTest
{
    private static final long KEY = 42;
    private static final long D = Dot.of(1, 1);

    private final LongHashSet committed = new LongHashSet();
    private final Long2LongHashMap stable = new Long2LongHashMap(0);
    private final TimestampSink sink = new TimestampSink()
    {
        public void onCommit(final long dot, final long timestamp, final KeySet keys)
        {
        }

        public void onStable(final long key, final long stableUpTo)
        {
            if (stableUpTo <= stable.get(key))
            {
                throw new AssertionError("stability reported without growing");
            }
            stable.put(key, stableUpTo);
        }
    };
    private final LongHashSet awaited = new LongHashSet();
    private final PromiseTable table = new PromiseTable(3, new PromiseTable.CommitView()
    {
        public boolean isCommitted(final long dot)
        {
            return committed.contains(dot);
        }

        public void awaitCommit(final long dot)
        {
            awaited.add(dot);
        }
    }, sink);

    private void snapshot(final int voter, final long key, final long clockUpTo, final long... attached)
    {
        table.beginKey(voter, key, clockUpTo);
        for (int i = 0; i < attached.length; i += 2)
        {
            table.attached(attached[i], attached[i + 1]);
        }
        table.endKey(key);
    }

    private KeySet keys(final long key)
    {
        final KeySet keys = new KeySet();
        keys.add(key, true);
        return keys;
    }

    @Test
    void attachedPromiseIgnoredUntilCommit()
    {
        // voters 0 and 1 gave d the range 1..5 on the key; their clocks are at 5
        snapshot(0, KEY, 5, D, 1);
        snapshot(1, KEY, 5, D, 1);
        assertEquals(0, table.stableUpTo(KEY), "d is not committed here: its promises do not count");
        assertEquals(0, table.frontier(0, KEY));
        assertTrue(awaited.contains(D), "the core is asked to learn or recover d");

        committed.add(D);
        table.onCommitted(keys(KEY));
        assertEquals(5, table.stableUpTo(KEY));
        assertEquals(5, stable.get(KEY));
    }

    @Test
    void detachedPromisesMakeIdleKeyStable()
    {
        // d committed at 5; voter 0 proposed it (attached 1..5), voter 2 only bumped after the commit (detached)
        committed.add(D);
        snapshot(0, KEY, 5, D, 1);
        assertEquals(0, table.stableUpTo(KEY), "one voter is not a majority");
        snapshot(2, KEY, 5);
        assertEquals(5, table.stableUpTo(KEY), "the bump of an idle key makes it stable");
    }

    @Test
    void lostPromisesMessageRepairedByNext()
    {
        snapshot(0, KEY, 3);
        // voter 1's snapshot at clock 3 is lost; its next one is cumulative
        assertEquals(0, table.stableUpTo(KEY));
        snapshot(1, KEY, 7);
        assertEquals(3, table.stableUpTo(KEY));
        snapshot(0, KEY, 7);
        assertEquals(7, table.stableUpTo(KEY));
    }

    @Test
    void staleSnapshotNeitherLowersNorReopensAHole()
    {
        final long e = Dot.of(2, 1);
        snapshot(0, KEY, 10);
        snapshot(1, KEY, 10);
        assertEquals(10, table.stableUpTo(KEY));
        snapshot(1, KEY, 4, e, 2); // delayed, older than what voter 1 said already
        assertEquals(10, table.frontier(1, KEY));
        assertEquals(10, table.stableUpTo(KEY));
    }

    @Test
    void stableUpToIsMajorityFrontier()
    {
        snapshot(0, KEY, 9);
        snapshot(1, KEY, 4);
        snapshot(2, KEY, 6);
        assertEquals(6, table.stableUpTo(KEY), "the 2nd largest of 9, 4, 6");
    }

    @Test
    void uncommittedAttachedRangeCapsTheFrontierBelowIt()
    {
        final long e = Dot.of(2, 1);
        committed.add(D);
        snapshot(0, KEY, 9, D, 1, e, 6); // d took 1..5, e 6..9
        snapshot(1, KEY, 9, D, 1, e, 6);
        assertEquals(5, table.stableUpTo(KEY), "e's values (6..9) wait for e's commit");
        committed.add(e);
        table.onCommitted(keys(KEY));
        assertEquals(9, table.stableUpTo(KEY));
    }

    @Test
    void noOpCommitReleasesPromisesOnKeysItDoesNotName()
    {
        snapshot(0, KEY, 5, D, 1);
        snapshot(1, KEY, 5, D, 1);
        committed.add(D);
        table.onCommitted(new KeySet());
        assertEquals(5, table.stableUpTo(KEY));
    }
}
