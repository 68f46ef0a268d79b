package io.roundtable.sim;

import io.roundtable.sim.check.History;
import io.roundtable.sim.check.Operation;
import io.roundtable.statemachine.KeyValueCommands;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The end-of-run comparison of the replicas' key-value stores. Replicas that executed the same instances must hold
 * the same state: conflicting writes ran in one order everywhere and deduplication applied the same copy of each
 * retried write. A divergence here that the execution-order check missed is a bug in deduplication or in the store.
 */
final class ReplicaStates
{
    private ReplicaStates()
    {
    }

    /** Reads every key the clients used at every replica that is up; reports each that differs from replica 0. */
    static List<String> differences(final SimReplica[] replicas, final History history)
    {
        final List<String> differences = new ArrayList<>();
        if (!replicas[0].isUp())
        {
            return differences;
        }
        final KeyValueCommands kv = new KeyValueCommands();
        final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(64);
        final ExpandableArrayBuffer reference = new ExpandableArrayBuffer(64);
        final ExpandableArrayBuffer other = new ExpandableArrayBuffer(64);
        final Set<Long> keys = new TreeSet<>();
        for (final Operation operation : history.operations())
        {
            keys.add(operation.key());
        }
        for (final long key : keys)
        {
            final int referenceLength = replicas[0].incarnation().readState(key, kv, scratch, reference);
            for (int r = 1; r < replicas.length; r++)
            {
                if (!replicas[r].isUp())
                {
                    continue;
                }
                final int length = replicas[r].incarnation().readState(key, kv, scratch, other);
                if (!sameBytes(reference, referenceLength, other, length))
                {
                    differences.add("key " + key + " holds a different value at replica " + r + " than at replica 0, " +
                        "though both executed the same instances");
                }
            }
        }
        return differences;
    }

    private static boolean sameBytes(final DirectBuffer a, final int aLength, final DirectBuffer b, final int bLength)
    {
        if (aLength != bLength)
        {
            return false;
        }
        for (int i = 0; i < aLength; i++)
        {
            if (a.getByte(i) != b.getByte(i))
            {
                return false;
            }
        }
        return true;
    }
}
