package io.roundtable.protocol.tempo;

import io.roundtable.command.KeySet;
import io.roundtable.protocol.TimestampSink;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayQueue;

/**
 * Reclaims the per-key state of keys no longer in use: this replica's clock row ({@link KeyClocks}, folded into the
 * floor), the promises learnt about the key ({@link PromiseTable}) and the executor's stable frontier. Without it all
 * three grow with every key ever touched.
 * <p>
 * <b>When a key is quiet.</b> A key is reclaimed once (1) no instance held here touches it: instances are held until
 * they have executed everywhere ({@code ProgressCollector}), so nothing on the key waits here or at a peer for
 * anything this replica knows of; (2) this replica has no attached promise on it in flight; (3) no promise learnt on
 * it waits for its dot to commit here; (4) its clock has been published since it last moved; (5) it stayed so for a
 * grace period (a phase timeout), so a key in steady use is not dropped and learnt again between two commands.
 * <p>
 * <b>Why that is safe.</b> Clocks only go up: a folded row's value goes into the floor under every clock (see
 * {@link KeyClocks}), so this replica never proposes at or below a value it promised, before or after a restart.
 * Promise rows and stable frontiers hold true lower bounds only; learnt again, they start lower and grow, which may
 * delay execution but never reorders it. <b>Why it stays live.</b> A command on the key that commits later bumps the
 * key here, which gives it a row again and publishes its clock; a peer that keeps the key in use (condition 1 at the
 * peer) keeps publishing it in its periodic full refresh, so whoever forgot it learns it again. One case breaks
 * condition 1: a peer that restarts executes again, from its journal, commands that had executed everywhere, on keys
 * reclaimed here. Such a peer reports a smaller executed prefix than it once did ({@code ProgressCollector.isBehind});
 * while it does, a promise it publishes on a key without a row here gives the key a row again (at the floor), which
 * publishes this replica's clock on it.
 * <p>
 * <b>Bounded work.</b> Keys become candidates when their last instance is forgotten, when a peer's promise recreates a
 * row here, or after a restart (every restored row once); at most {@link #CANDIDATES_PER_TICK} candidates are looked
 * at per tick, in the order they became due, and one still busy for a passing reason is looked at again a grace
 * period later. No scan of the tables, ever. Allocation-free once warm.
 */
final class KeyReclaimer
{
    static final int CANDIDATES_PER_TICK = 1024;

    private final KeyClocks clocks;
    private final PromiseTable promises;
    private final TempoPromisesSender promisesSender;
    private final TimestampSink sink;
    private final long graceNs;
    /** Per key, how many instances held here touch it (no entry: none). */
    private final Long2LongHashMap liveByKey = new Long2LongHashMap(0L);
    private final LongArrayQueue candidateKeys = new LongArrayQueue(1024, Long.MIN_VALUE);
    private final LongArrayQueue candidateDueNs = new LongArrayQueue(1024, Long.MIN_VALUE);
    private long reclaimed;

    KeyReclaimer(
        final KeyClocks clocks, final PromiseTable promises, final TempoPromisesSender promisesSender,
        final TimestampSink sink, final long graceNs)
    {
        this.clocks = clocks;
        this.promises = promises;
        this.promisesSender = promisesSender;
        this.sink = sink;
        this.graceNs = graceNs;
    }

    /** An instance held here now touches {@code keys}. */
    void retain(final KeySet keys)
    {
        for (int i = 0, n = keys.count(); i < n; i++)
        {
            final long key = keys.key(i);
            liveByKey.put(key, liveByKey.get(key) + 1);
        }
    }

    /** An instance held here no longer touches {@code keys} (forgotten, or its commands replaced). */
    void release(final KeySet keys, final long nowNs)
    {
        for (int i = 0, n = keys.count(); i < n; i++)
        {
            final long key = keys.key(i);
            final long live = liveByKey.get(key) - 1;
            if (live <= 0)
            {
                liveByKey.remove(key);
                candidate(key, nowNs);
            }
            else
            {
                liveByKey.put(key, live);
            }
        }
    }

    /** Looks at {@code key} a grace period from now. */
    void candidate(final long key, final long nowNs)
    {
        candidateKeys.offerLong(key);
        candidateDueNs.offerLong(nowNs + graceNs);
    }

    void onTick(final long nowNs)
    {
        for (int budget = CANDIDATES_PER_TICK; budget > 0 && !candidateDueNs.isEmpty() &&
            candidateDueNs.peekLong() - nowNs <= 0; budget--)
        {
            candidateDueNs.pollLong();
            reclaim(candidateKeys.pollLong(), nowNs);
        }
    }

    /** Keys reclaimed so far (a key reclaimed, used again and reclaimed again counts twice). */
    long reclaimed()
    {
        return reclaimed;
    }

    int liveKeyCount()
    {
        return liveByKey.size();
    }

    private void reclaim(final long key, final long nowNs)
    {
        if (liveByKey.containsKey(key) || !(clocks.hasRow(key) || promises.hasRow(key)))
        {
            return; // in use again (a later release makes it a candidate again), or reclaimed already
        }
        if (promisesSender.hasAttached(key) || clocks.changed().contains(key) || !promises.forget(key))
        {
            candidate(key, nowNs);
            return;
        }
        clocks.fold(key);
        sink.onKeyForgotten(key);
        reclaimed++;
    }
}
