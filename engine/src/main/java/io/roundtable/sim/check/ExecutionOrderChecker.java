package io.roundtable.sim.check;

import io.roundtable.command.KeySet;
import io.roundtable.protocol.Dot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Execution consistency: every pair of conflicting commands executes in the same relative order at every replica.
 * Per key, conflicting pairs are write/write and read/write, so it suffices that every replica executes the key's
 * writes in the same sequence and each read after the same number of the key's writes.
 * <p>
 * A replica that restarts starts a new incarnation: a fresh executor and state machine re-execute what its journal
 * holds, so the new incarnation executes instances the old one already had. Each incarnation is an execution of its
 * own: none may execute an instance twice, and the per-key order of every incarnation, dead or alive, must agree with
 * every other (one may be shorter than another: a crashed one stopped early, a lagging one has not caught up). The
 * set of instances a replica executed, for the end-of-run comparison, is its latest incarnation's. An incarnation
 * restored from a checkpoint starts with the executions of the incarnation that took the checkpoint, up to it.
 */
public final class ExecutionOrderChecker
{
    private static final class KeyLog
    {
        final List<Long> writes = new ArrayList<>();
        final Map<Long, Integer> writesBeforeRead = new HashMap<>();
    }

    private static final class Incarnation
    {
        final String name;
        final Map<Long, KeyLog> logs = new HashMap<>();
        final Set<Long> executed = new HashSet<>();

        Incarnation(final int replica, final int number)
        {
            this.name = number == 0 ? "replica " + replica : "replica " + replica + " (incarnation " + number + ")";
        }
    }

    private final List<Incarnation> all = new ArrayList<>();
    private final Incarnation[] latest;
    private final int[] incarnationCount;
    private final List<String> violations = new ArrayList<>();

    public ExecutionOrderChecker(final int replicas)
    {
        latest = new Incarnation[replicas];
        incarnationCount = new int[replicas];
        for (int i = 0; i < replicas; i++)
        {
            onRestart(i);
        }
    }

    /** What a replica's latest incarnation had executed at one moment: where a restore from a checkpoint resumes. */
    public static final class Snapshot
    {
        private final Map<Long, KeyLog> logs = new HashMap<>();
        private final Set<Long> executed;

        private Snapshot(final Incarnation incarnation)
        {
            incarnation.logs.forEach((key, log) -> logs.put(key, copy(log)));
            executed = new HashSet<>(incarnation.executed);
        }
    }

    /** The replica restarted: what it executes from now on belongs to a new incarnation. */
    public void onRestart(final int replica)
    {
        onRestart(replica, null);
    }

    /**
     * The replica restarted from a checkpoint taken when its executions were {@code resumeFrom} (null: from
     * nothing): the new incarnation has those executions already, and must not repeat them.
     */
    public void onRestart(final int replica, final Snapshot resumeFrom)
    {
        final Incarnation incarnation = new Incarnation(replica, incarnationCount[replica]++);
        if (resumeFrom != null)
        {
            resumeFrom.logs.forEach((key, log) -> incarnation.logs.put(key, copy(log)));
            incarnation.executed.addAll(resumeFrom.executed);
        }
        latest[replica] = incarnation;
        all.add(incarnation);
    }

    /** The executions of the replica's latest incarnation so far, for {@link #onRestart(int, Snapshot)}. */
    public Snapshot snapshot(final int replica)
    {
        return new Snapshot(latest[replica]);
    }

    private static KeyLog copy(final KeyLog log)
    {
        final KeyLog copy = new KeyLog();
        copy.writes.addAll(log.writes);
        copy.writesBeforeRead.putAll(log.writesBeforeRead);
        return copy;
    }

    public void onExecute(final int replica, final long dot, final KeySet keys)
    {
        final Incarnation incarnation = latest[replica];
        if (!incarnation.executed.add(dot))
        {
            violations.add(incarnation.name + " executed " + Dot.toString(dot) + " twice");
            return;
        }
        for (int i = 0; i < keys.count(); i++)
        {
            final KeyLog log = incarnation.logs.computeIfAbsent(keys.key(i), k -> new KeyLog());
            if (keys.isWrite(i))
            {
                log.writes.add(dot);
            }
            else
            {
                log.writesBeforeRead.put(dot, log.writes.size());
            }
        }
    }

    /** The instances the replica's latest incarnation executed. */
    public Set<Long> executedAt(final int replica)
    {
        return latest[replica].executed;
    }

    /**
     * Per key: every incarnation's writes must be a prefix of the longest write sequence (then any two agree on what
     * they share), and a read must follow the same number of writes wherever it executed.
     */
    public List<String> check()
    {
        final List<String> found = new ArrayList<>(violations);
        final Set<Long> allKeys = new HashSet<>();
        all.forEach(incarnation -> allKeys.addAll(incarnation.logs.keySet()));
        for (final Long key : allKeys)
        {
            Incarnation longest = null;
            for (final Incarnation incarnation : all)
            {
                final KeyLog log = incarnation.logs.get(key);
                if (log != null && (longest == null || log.writes.size() > longest.logs.get(key).writes.size()))
                {
                    longest = incarnation;
                }
            }
            final Map<Long, Integer> firstReadCount = new HashMap<>();
            final Map<Long, Incarnation> firstReadAt = new HashMap<>();
            for (final Incarnation incarnation : all)
            {
                final KeyLog log = incarnation.logs.get(key);
                if (log == null)
                {
                    continue;
                }
                if (incarnation != longest && !comparePrefix(key, longest, incarnation, found))
                {
                    continue;
                }
                compareReads(key, incarnation, log, firstReadCount, firstReadAt, found);
            }
        }
        return found;
    }

    private static boolean comparePrefix(
        final long key, final Incarnation longest, final Incarnation other, final List<String> found)
    {
        final List<Long> reference = longest.logs.get(key).writes;
        final List<Long> writes = other.logs.get(key).writes;
        for (int i = 0; i < writes.size(); i++)
        {
            if (!reference.get(i).equals(writes.get(i)))
            {
                found.add("key " + key + ": write #" + i + " is " + Dot.toString(reference.get(i)) + " at " +
                    longest.name + " but " + Dot.toString(writes.get(i)) + " at " + other.name);
                return false;
            }
        }
        return true;
    }

    private static void compareReads(
        final long key, final Incarnation incarnation, final KeyLog log, final Map<Long, Integer> firstReadCount,
        final Map<Long, Incarnation> firstReadAt, final List<String> found)
    {
        for (final Map.Entry<Long, Integer> read : log.writesBeforeRead.entrySet())
        {
            final Integer first = firstReadCount.putIfAbsent(read.getKey(), read.getValue());
            if (first == null)
            {
                firstReadAt.put(read.getKey(), incarnation);
            }
            else if (!first.equals(read.getValue()))
            {
                found.add("key " + key + ": read " + Dot.toString(read.getKey()) + " follows " + first +
                    " writes at " + firstReadAt.get(read.getKey()).name + " but " + read.getValue() + " at " +
                    incarnation.name);
                return;
            }
        }
    }
}
