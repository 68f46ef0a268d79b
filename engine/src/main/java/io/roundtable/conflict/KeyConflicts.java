package io.roundtable.conflict;

import io.roundtable.protocol.DotSet;

/**
 * What one replica knows of one key: the uncommitted (pending) writes and reads on it, the committed "heads" that
 * every other committed write/read on the key is reachable from through committed dependencies, and the highest
 * seq seen. See {@link ConflictIndex} for why heads are kept this way.
 */
final class KeyConflicts
{
    final DotSet pendingWrites = new DotSet(4);
    final DotSet pendingReads = new DotSet(4);
    final DotSet writeHeads = new DotSet(2);
    final DotSet readHeads = new DotSet(2);
    int maxWriteSeq;
    int maxReadSeq;
}
