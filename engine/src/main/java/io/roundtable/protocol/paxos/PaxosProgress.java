package io.roundtable.protocol.paxos;

import io.roundtable.protocol.Dot;
import io.roundtable.protocol.ExecutionWatermarks;
import io.roundtable.protocol.InstanceSlots;

/**
 * Execution progress between replicas over the one log origin, in the shared Progress format: every half phase
 * timeout each replica broadcasts its contiguous executed prefix. Two uses, as in EPaxos's collector:
 * <ul>
 * <li>garbage collection (PROTOCOLS.md pitfall 9): positions below every replica's prefix are freed, a bounded number
 * per tick; a replica that is down holds collection back until it returns;</li>
 * <li>catch-up: a peer that still does not report what this replica had executed a round ago is sent the positions it
 * lacks as Chosen with their values, a bounded batch per round, so a replica that missed Accepts or Chosens (lost,
 * partitioned, restarted) executes everything without an election.</li>
 * </ul>
 * Only origin 0 is used (the whole log); the watermarks table is sized for it alone.
 */
final class PaxosProgress
{
    private static final int COLLECTION_BUDGET_PER_TICK = 65_536;
    private static final int CATCH_UP_BATCH = 256;

    private final Paxos paxos;
    private final PaxosLog log;
    private final ExecutionWatermarks watermarks;
    private final long progressIntervalNs;
    private long executedUpTo;
    private long collectedUpTo;
    private long prefixLastRound;
    private long lastProgressNs;

    PaxosProgress(final Paxos paxos)
    {
        this.paxos = paxos;
        this.log = paxos.log;
        this.watermarks = new ExecutionWatermarks(paxos.replicaCount);
        this.progressIntervalNs = Math.max(1, paxos.phaseTimeoutNs / 2);
    }

    long executedUpTo()
    {
        return executedUpTo;
    }

    long collectedUpTo()
    {
        return collectedUpTo;
    }

    void onTick(final long nowNs)
    {
        if (nowNs - lastProgressNs >= progressIntervalNs)
        {
            lastProgressNs = nowNs;
            paxos.publisher.progressToAll(paxos.self, executedUpTo);
            sendChosenToLaggingPeers();
        }
        collect();
    }

    void onProgress(final int replica, final int origin, final long upTo)
    {
        if (origin != 0 || upTo < 0 || upTo > Dot.MAX_INSTANCE)
        {
            paxos.counters.malformedDropped++;
            return;
        }
        watermarks.onProgress(replica, 0, upTo);
    }

    void onExecuted(final long position)
    {
        final int slot = log.slotOf(position);
        if (slot == InstanceSlots.NO_SLOT)
        {
            return;
        }
        log.status[slot] = PaxosLog.EXECUTED;
        while (log.statusAt(executedUpTo + 1) == PaxosLog.EXECUTED)
        {
            executedUpTo++;
        }
        watermarks.onProgress(paxos.self, 0, executedUpTo);
    }

    /** Before any position is restored: what had executed here and been freed when the checkpoint was taken. */
    void restore(final long executed, final long collected)
    {
        executedUpTo = executed;
        collectedUpTo = collected;
        prefixLastRound = executed;
        watermarks.onProgress(paxos.self, 0, executed);
    }

    private void sendChosenToLaggingPeers()
    {
        for (int peer = 0; peer < paxos.replicaCount; peer++)
        {
            if (peer == paxos.self)
            {
                continue;
            }
            final long from = Math.max(watermarks.executedUpTo(peer, 0) + 1, collectedUpTo + 1);
            final long to = Math.min(prefixLastRound, from + CATCH_UP_BATCH - 1);
            for (long position = from; position <= to; position++)
            {
                final int slot = log.slotOf(position);
                if (slot != InstanceSlots.NO_SLOT && log.status[slot] >= PaxosLog.COMMITTED)
                {
                    paxos.publisher.chosen(peer, log.acceptedBallot[slot], position, log.commands[slot],
                        log.commandsLength[slot]);
                }
            }
        }
        prefixLastRound = executedUpTo;
    }

    private void collect()
    {
        final long target = watermarks.executedEverywhereUpTo(0);
        int budget = COLLECTION_BUDGET_PER_TICK;
        while (collectedUpTo < target && budget-- > 0)
        {
            log.free(++collectedUpTo);
        }
    }
}
