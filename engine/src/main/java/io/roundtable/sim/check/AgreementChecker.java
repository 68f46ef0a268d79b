package io.roundtable.sim.check;

import io.roundtable.protocol.Dot;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Agreement (EPaxos "consistency"): every replica that commits an instance commits the same commands, seq and deps.
 */
public final class AgreementChecker
{
    private static final class Decision
    {
        final int firstReplica;
        final long order;
        final long[] deps;
        final byte[] commands;

        Decision(final int firstReplica, final long order, final long[] deps, final byte[] commands)
        {
            this.firstReplica = firstReplica;
            this.order = order;
            this.deps = deps;
            this.commands = commands;
        }
    }

    private final Map<Long, Decision> decisions = new HashMap<>();
    private final List<String> violations = new ArrayList<>();

    public void onCommit(
        final int replica, final long dot, final long order, final long[] deps, final int depsCount,
        final DirectBuffer commands, final int offset, final int length)
    {
        final long[] depsCopy = Arrays.copyOf(deps, depsCount);
        final byte[] commandsCopy = new byte[length];
        commands.getBytes(offset, commandsCopy);
        final Decision first = decisions.putIfAbsent(dot, new Decision(replica, order, depsCopy, commandsCopy));
        if (first != null && (first.order != order || !Arrays.equals(first.deps, depsCopy) ||
            !Arrays.equals(first.commands, commandsCopy)))
        {
            violations.add("instance " + Dot.toString(dot) + " committed as order=" + first.order + " deps=" +
                dotsToString(first.deps) + " at replica " + first.firstReplica + " but order=" + order + " deps=" +
                dotsToString(depsCopy) + (Arrays.equals(first.commands, commandsCopy) ? "" : " (different commands)") +
                " at replica " + replica);
        }
    }

    public int decidedInstances()
    {
        return decisions.size();
    }

    public List<String> violations()
    {
        return violations;
    }

    static String dotsToString(final long[] dots)
    {
        final StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < dots.length; i++)
        {
            sb.append(i == 0 ? "" : ", ").append(Dot.toString(dots[i]));
        }
        return sb.append(']').toString();
    }
}
