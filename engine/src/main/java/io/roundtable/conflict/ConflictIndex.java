package io.roundtable.conflict;

import io.roundtable.command.KeySet;
import io.roundtable.protocol.DotSet;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.Arrays;

/**
 * The per-key conflict index shared by the dependency protocols: given a command's keys, the dots it must depend on
 * and the seq it must exceed. Commands conflict iff they share a key and one writes; reads conflict only with writes.
 *
 * <p>Reporting every conflicting command ever seen is correct but unbounded. Reporting only the latest command per
 * key is bounded but wrong when a replica learns a command only from its Commit: the committed deps of that command
 * were computed by other replicas and need not reach what this replica saw before, so a later command reporting
 * only it could miss a conflict. So per key we report the pending (uncommitted) commands plus a set of committed
 * <em>heads</em>, and maintain: every conflicting command this replica has processed is pending, a head, or reachable
 * from a head through committed (final) dependencies. A commit of x makes x a head and retires exactly the heads
 * that x's committed deps contain directly; a read's commit never retires write heads, because future reads report
 * only write heads. With quorum intersection this gives every pair of conflicting committed commands a dependency
 * path in at least one direction, which is what the executors need.
 *
 * <p>Seq is tracked as the highest seq seen per key (pending or committed, any replica's), so a command proposed
 * after another committed gets a higher seq (execution linearizability inside an SCC).
 */
public final class ConflictIndex
{
    /** Most emptied entries kept for reuse: enough for the keys of many large batches in flight. */
    private static final int MAX_SPARES = 64 * 1024;

    private final Long2ObjectHashMap<KeyConflicts> byKey = new Long2ObjectHashMap<>();
    /**
     * Emptied entries kept for reuse, so a steady stream of fresh keys (each client's private key, batch after
     * batch) does not allocate once warm.
     */
    private KeyConflicts[] spares = new KeyConflicts[64];
    private int spareCount;

    /**
     * Adds to {@code deps} every dot the command with {@code keys} must depend on, except {@code self}.
     *
     * @return the highest seq among the conflicting commands seen (0 if none).
     */
    public int collect(final KeySet keys, final long self, final DotSet deps)
    {
        int maxSeq = 0;
        for (int i = 0, n = keys.count(); i < n; i++)
        {
            final KeyConflicts key = byKey.get(keys.key(i));
            if (key == null)
            {
                continue;
            }
            addAllExcept(key.writeHeads, self, deps);
            addAllExcept(key.pendingWrites, self, deps);
            maxSeq = Math.max(maxSeq, key.maxWriteSeq);
            if (keys.isWrite(i))
            {
                addAllExcept(key.readHeads, self, deps);
                addAllExcept(key.pendingReads, self, deps);
                maxSeq = Math.max(maxSeq, key.maxReadSeq);
            }
        }
        return maxSeq;
    }

    /** A command is pre-accepted or accepted here with {@code seq}: later commands must see it. Idempotent. */
    public void onPending(final long dot, final KeySet keys, final int seq)
    {
        for (int i = 0, n = keys.count(); i < n; i++)
        {
            final KeyConflicts key = keyConflicts(keys.key(i));
            if (keys.isWrite(i))
            {
                key.pendingWrites.add(dot);
                key.maxWriteSeq = Math.max(key.maxWriteSeq, seq);
            }
            else
            {
                key.pendingReads.add(dot);
                key.maxReadSeq = Math.max(key.maxReadSeq, seq);
            }
        }
    }

    /** Withdraws a pending command that will not commit with these keys (recovery replaced it by a no-op). */
    public void removePending(final long dot, final KeySet keys)
    {
        for (int i = 0, n = keys.count(); i < n; i++)
        {
            final KeyConflicts key = byKey.get(keys.key(i));
            if (key != null)
            {
                key.pendingWrites.remove(dot);
                key.pendingReads.remove(dot);
            }
        }
    }

    /** A command is committed with its final seq and deps ({@code deps} ascending, as a DotSet holds them). */
    public void onCommitted(final long dot, final KeySet keys, final int seq, final long[] deps, final int depsCount)
    {
        for (int i = 0, n = keys.count(); i < n; i++)
        {
            final KeyConflicts key = keyConflicts(keys.key(i));
            if (keys.isWrite(i))
            {
                key.pendingWrites.remove(dot);
                retireCovered(key.writeHeads, deps, depsCount);
                retireCovered(key.readHeads, deps, depsCount);
                key.writeHeads.add(dot);
                key.maxWriteSeq = Math.max(key.maxWriteSeq, seq);
            }
            else
            {
                key.pendingReads.remove(dot);
                retireCovered(key.readHeads, deps, depsCount);
                key.readHeads.add(dot);
                key.maxReadSeq = Math.max(key.maxReadSeq, seq);
            }
        }
    }

    /**
     * Drops every trace of a command executed at every replica: nothing proposed from now on needs to be ordered
     * after it explicitly, since every replica already executed it. Keys left with nothing are dropped too, so the
     * index stays as small as the set of live commands.
     */
    public void forget(final long dot, final KeySet keys)
    {
        for (int i = 0, n = keys.count(); i < n; i++)
        {
            final long key = keys.key(i);
            final KeyConflicts conflicts = byKey.get(key);
            if (conflicts == null)
            {
                continue;
            }
            conflicts.pendingWrites.remove(dot);
            conflicts.pendingReads.remove(dot);
            conflicts.writeHeads.remove(dot);
            conflicts.readHeads.remove(dot);
            if (conflicts.pendingWrites.size() == 0 && conflicts.pendingReads.size() == 0 &&
                conflicts.writeHeads.size() == 0 && conflicts.readHeads.size() == 0)
            {
                byKey.remove(key);
                release(conflicts);
            }
        }
    }

    public int keyCount()
    {
        return byKey.size();
    }

    private KeyConflicts keyConflicts(final long key)
    {
        KeyConflicts conflicts = byKey.get(key);
        if (conflicts == null)
        {
            if (spareCount > 0)
            {
                conflicts = spares[--spareCount];
                spares[spareCount] = null;
                conflicts.maxWriteSeq = 0;
                conflicts.maxReadSeq = 0;
            }
            else
            {
                conflicts = new KeyConflicts();
            }
            byKey.put(key, conflicts);
        }
        return conflicts;
    }

    private void release(final KeyConflicts conflicts)
    {
        if (spareCount == spares.length && spareCount < MAX_SPARES)
        {
            spares = Arrays.copyOf(spares, spareCount * 2);
        }
        if (spareCount < spares.length)
        {
            spares[spareCount++] = conflicts;
        }
    }

    /**
     * Removes the heads that {@code deps} (ascending, as a {@link DotSet} keeps them) names. Heads per key are few
     * and deps of a batch many, so search the deps for each head rather than the heads for each dep.
     */
    private static void retireCovered(final DotSet heads, final long[] deps, final int depsCount)
    {
        for (int i = heads.size() - 1; i >= 0; i--)
        {
            if (Arrays.binarySearch(deps, 0, depsCount, heads.get(i)) >= 0)
            {
                heads.remove(heads.get(i));
            }
        }
    }

    private static void addAllExcept(final DotSet source, final long self, final DotSet target)
    {
        for (int i = 0, n = source.size(); i < n; i++)
        {
            final long dot = source.get(i);
            if (dot != self)
            {
                target.add(dot);
            }
        }
    }
}
