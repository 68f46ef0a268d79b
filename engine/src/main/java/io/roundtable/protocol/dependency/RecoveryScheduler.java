package io.roundtable.protocol.dependency;

import io.roundtable.protocol.InstanceSlots;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongLongConsumer;
import org.agrona.collections.LongObjConsumer;

import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;
import java.util.function.Supplier;

/**
 * When EPaxos and Atlas recover an instance, and the bookkeeping of recoveries under way: instances undecided here
 * past the recovery timeout, dependencies the executor waits on, attempts that got no quorum in time (dropped, so a
 * later timeout starts afresh above them), a pool of attempts so recovery allocates nothing once warm, and the seeded
 * random back-off that spreads competing recoverers. The protocol's recovery keeps what its rounds decide.
 *
 * <p>Tempo's recovery ({@code TempoRecovery}) runs the same timers over its own instance tables; it could share
 * this once the undecided scan reads through an interface rather than {@link DependencyInstances}.
 *
 * @param <A> the protocol's attempt: what a recoverer learns in one round.
 */
public final class RecoveryScheduler<A extends RecoveryScheduler.Attempt> implements DependencyRecovery
{
    /** What the scheduler needs of an attempt: its instance and when its current round began. */
    public interface Attempt
    {
        long dot();

        long roundStartNs();
    }

    private final DependencyInstances instances;
    private final long recoveryTimeoutNs;
    private final SplittableRandom random;
    private final Supplier<A> newAttempt;
    private final LongPredicate settled;
    private final LongConsumer start;
    private final Long2ObjectHashMap<A> active = new Long2ObjectHashMap<>();
    private final ArrayDeque<A> pool = new ArrayDeque<>();
    private final Long2LongHashMap missingDueAt = new Long2LongHashMap(Long.MIN_VALUE);
    private final LongArrayList dueScratch = new LongArrayList();
    // held in fields so ticking allocates nothing (a capturing lambda per tick would)
    private final LongLongConsumer collectDueMissing = this::collectIfDue;
    private final LongObjConsumer<A> collectTimedOutAttempts = this::collectIfTimedOut;
    private long nowNs;

    /**
     * @param settled    true for a missing dependency that needs no recovery any more (decided, or collected).
     * @param start      starts recovering an instance (the protocol's first round; it may decline).
     */
    public RecoveryScheduler(
        final DependencyConfig<?> config, final DependencyInstances instances, final Supplier<A> newAttempt,
        final LongPredicate settled, final LongConsumer start)
    {
        this.instances = instances;
        this.recoveryTimeoutNs = config.recoveryTimeoutNs();
        this.random = new SplittableRandom(config.randomSeed() * 31 + config.replicaId());
        this.newAttempt = newAttempt;
        this.settled = settled;
        this.start = start;
    }

    /** The executor waits on {@code dot}: recover it unless it is decided within a timeout and a back-off. */
    public void onMissing(final long dot, final long nowNs)
    {
        if (!active.containsKey(dot) && !missingDueAt.containsKey(dot))
        {
            missingDueAt.put(dot, nowNs + recoveryTimeoutNs + backoff());
        }
    }

    /**
     * Starts recovering the instances undecided past their timeout that no one here leads, and the missing
     * dependencies that fell due; drops attempts that got no quorum within the timeout.
     */
    public void onTick(final long nowNs, final LongArrayList undecided)
    {
        this.nowNs = nowNs;
        for (int i = undecided.size() - 1; i >= 0; i--)
        {
            final long dot = undecided.getLong(i);
            final int slot = instances.slotOf(dot);
            if (slot == InstanceSlots.NO_SLOT || instances.status[slot] >= DependencyInstances.COMMITTED)
            {
                undecided.fastUnorderedRemove(i);
                continue;
            }
            if (!instances.leading[slot] && !active.containsKey(dot) &&
                nowNs - instances.undecidedSinceNs[slot] >= recoveryTimeoutNs)
            {
                instances.undecidedSinceNs[slot] = nowNs + backoff();
                start.accept(dot);
            }
        }

        dueScratch.clear();
        missingDueAt.forEachLong(collectDueMissing);
        for (int i = 0; i < dueScratch.size(); i++)
        {
            final long dot = dueScratch.getLong(i);
            if (settled.test(dot))
            {
                missingDueAt.remove(dot);
                continue;
            }
            missingDueAt.put(dot, nowNs + recoveryTimeoutNs + backoff());
            if (!active.containsKey(dot))
            {
                start.accept(dot);
            }
        }

        dueScratch.clear();
        active.forEachLong(collectTimedOutAttempts);
        for (int i = 0; i < dueScratch.size(); i++)
        {
            release(active.get(dueScratch.getLong(i)));
        }
    }

    /** Whatever recovered or waited for {@code dot} is over. */
    public void onDecided(final long dot)
    {
        release(active.get(dot));
        missingDueAt.remove(dot);
    }

    /** A pooled attempt, registered as under way for {@code dot}; the caller resets it. */
    public A begin(final long dot)
    {
        final A attempt = pool.isEmpty() ? newAttempt.get() : pool.pop();
        active.put(dot, attempt);
        return attempt;
    }

    /** The attempt under way for {@code dot}, or null. */
    public A attempt(final long dot)
    {
        return active.get(dot);
    }

    public boolean isActive(final long dot)
    {
        return active.containsKey(dot);
    }

    /** Ends {@code attempt} (null or already ended is fine) and returns it to the pool. */
    public void release(final A attempt)
    {
        if (attempt != null && active.remove(attempt.dot()) == attempt)
        {
            pool.push(attempt);
        }
    }

    public long nowNs()
    {
        return nowNs;
    }

    public int activeCount()
    {
        return active.size();
    }

    private void collectIfDue(final long dot, final long dueAtNs)
    {
        if (dueAtNs <= nowNs)
        {
            dueScratch.addLong(dot);
        }
    }

    private void collectIfTimedOut(final long dot, final A attempt)
    {
        if (nowNs - attempt.roundStartNs() >= recoveryTimeoutNs)
        {
            dueScratch.addLong(dot);
        }
    }

    private long backoff()
    {
        return random.nextLong(recoveryTimeoutNs);
    }
}
