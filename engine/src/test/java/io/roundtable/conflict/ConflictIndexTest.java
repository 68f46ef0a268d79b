package io.roundtable.conflict;

import io.roundtable.command.KeySet;
import io.roundtable.protocol.Dot;
import io.roundtable.protocol.DotSet;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConflictIndexTest
{
    private final ConflictIndex index = new ConflictIndex();
    private final DotSet deps = new DotSet();

    private static KeySet keys(final long key, final boolean write)
    {
        final KeySet keys = new KeySet();
        keys.add(key, write);
        return keys;
    }

    private DotSet collect(final long key, final boolean write, final long self)
    {
        deps.clear();
        index.collect(keys(key, write), self, deps);
        return deps;
    }

    @Test
    void readsConflictOnlyWithWrites()
    {
        final long r1 = Dot.of(0, 1);
        index.onPending(r1, keys(7, false), 1);
        assertEquals(0, collect(7, false, Dot.of(1, 1)).size(), "a read does not depend on a read");
        assertTrue(collect(7, true, Dot.of(1, 1)).contains(r1), "a write depends on a read");

        final long w1 = Dot.of(1, 1);
        index.onPending(w1, keys(7, true), 2);
        assertTrue(collect(7, false, Dot.of(2, 1)).contains(w1), "a read depends on a write");
        assertEquals(0, collect(8, true, Dot.of(2, 1)).size(), "different keys never conflict");
    }

    @Test
    void aCommittedWriteReplacesTheHeadsItsDepsCover()
    {
        final long w1 = Dot.of(0, 1);
        index.onPending(w1, keys(7, true), 1);
        index.onCommitted(w1, keys(7, true), 1, new long[0], 0);
        final long w2 = Dot.of(1, 1);
        index.onCommitted(w2, keys(7, true), 2, new long[] {w1}, 1);

        final DotSet found = collect(7, true, Dot.of(2, 1));
        assertEquals(1, found.size());
        assertTrue(found.contains(w2), "w1 is reachable through w2, so only w2 is reported");
    }

    @Test
    void aWriteLearntOnlyFromItsCommitDoesNotHideWhatThisReplicaSawBefore()
    {
        // this replica committed w1; then it learns w2 only from a Commit whose deps (computed by other replicas)
        // do not contain w1. Reporting only "the latest" (w2) would let a later write miss w1.
        final long w1 = Dot.of(0, 1);
        index.onCommitted(w1, keys(7, true), 1, new long[0], 0);
        final long w2 = Dot.of(1, 1);
        index.onCommitted(w2, keys(7, true), 1, new long[0], 0);

        final DotSet found = collect(7, true, Dot.of(2, 1));
        assertTrue(found.contains(w1) && found.contains(w2), "both heads are reported: " + found);
    }

    @Test
    void aCommittedReadNeverRetiresWriteHeads()
    {
        final long w1 = Dot.of(0, 1);
        index.onCommitted(w1, keys(7, true), 1, new long[0], 0);
        final long r1 = Dot.of(1, 1);
        index.onCommitted(r1, keys(7, false), 2, new long[] {w1}, 1);

        assertTrue(collect(7, false, Dot.of(2, 1)).contains(w1), "a later read still depends on the write");
        final DotSet forWrite = collect(7, true, Dot.of(2, 2));
        assertTrue(forWrite.contains(w1) && forWrite.contains(r1), "a later write depends on both: " + forWrite);
    }

    @Test
    void seqExceedsEveryConflictingSeqSeen()
    {
        index.onPending(Dot.of(0, 1), keys(7, true), 5);
        index.onPending(Dot.of(0, 2), keys(7, false), 9);
        deps.clear();
        assertEquals(5, index.collect(keys(7, false), Dot.of(1, 1), deps), "reads look at writes' seq only");
        deps.clear();
        assertEquals(9, index.collect(keys(7, true), Dot.of(1, 1), deps), "writes look at reads' seq too");
    }

    @Test
    void aCommandNeverDependsOnItself()
    {
        final long w1 = Dot.of(0, 1);
        index.onPending(w1, keys(7, true), 1);
        assertEquals(0, collect(7, true, w1).size());
    }
}
