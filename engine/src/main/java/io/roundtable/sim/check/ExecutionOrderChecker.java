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
 * writes in the same sequence and each read after the same number of the key's writes. Also checks that no replica
 * executes an instance twice.
 */
public final class ExecutionOrderChecker
{
    private static final class KeyLog
    {
        final List<Long> writes = new ArrayList<>();
        final Map<Long, Integer> writesBeforeRead = new HashMap<>();
    }

    private final List<Map<Long, KeyLog>> logsByReplica = new ArrayList<>();
    private final List<Set<Long>> executedByReplica = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();

    public ExecutionOrderChecker(final int replicas)
    {
        for (int i = 0; i < replicas; i++)
        {
            logsByReplica.add(new HashMap<>());
            executedByReplica.add(new HashSet<>());
        }
    }

    public void onExecute(final int replica, final long dot, final KeySet keys)
    {
        if (!executedByReplica.get(replica).add(dot))
        {
            violations.add("replica " + replica + " executed " + Dot.toString(dot) + " twice");
            return;
        }
        for (int i = 0; i < keys.count(); i++)
        {
            final KeyLog log = logsByReplica.get(replica).computeIfAbsent(keys.key(i), k -> new KeyLog());
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

    public Set<Long> executedAt(final int replica)
    {
        return executedByReplica.get(replica);
    }

    /** Compares every replica's per-key order with replica 0's (and with each other's where 0 lacks a key). */
    public List<String> check()
    {
        final List<String> found = new ArrayList<>(violations);
        final Set<Long> allKeys = new HashSet<>();
        logsByReplica.forEach(logs -> allKeys.addAll(logs.keySet()));
        for (final Long key : allKeys)
        {
            KeyLog reference = null;
            int referenceReplica = -1;
            for (int r = 0; r < logsByReplica.size(); r++)
            {
                final KeyLog log = logsByReplica.get(r).get(key);
                if (log == null)
                {
                    continue;
                }
                if (reference == null)
                {
                    reference = log;
                    referenceReplica = r;
                    continue;
                }
                compare(key, referenceReplica, reference, r, log, found);
            }
        }
        return found;
    }

    private static void compare(
        final long key, final int replicaA, final KeyLog a, final int replicaB, final KeyLog b, final List<String> found)
    {
        final int common = Math.min(a.writes.size(), b.writes.size());
        for (int i = 0; i < common; i++)
        {
            if (!a.writes.get(i).equals(b.writes.get(i)))
            {
                found.add("key " + key + ": write #" + i + " is " + Dot.toString(a.writes.get(i)) + " at replica " +
                    replicaA + " but " + Dot.toString(b.writes.get(i)) + " at replica " + replicaB);
                return;
            }
        }
        for (final Map.Entry<Long, Integer> read : a.writesBeforeRead.entrySet())
        {
            final Integer other = b.writesBeforeRead.get(read.getKey());
            if (other != null && !other.equals(read.getValue()))
            {
                found.add("key " + key + ": read " + Dot.toString(read.getKey()) + " follows " + read.getValue() +
                    " writes at replica " + replicaA + " but " + other + " at replica " + replicaB);
                return;
            }
        }
    }
}
