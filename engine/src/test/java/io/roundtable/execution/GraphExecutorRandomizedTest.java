package io.roundtable.execution;

import io.roundtable.protocol.Dot;
import org.agrona.collections.LongHashSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random graphs shaped like EPaxos output (every two conflicting commands have an edge in at least one direction,
 * plus cycles and stray edges), committed in random order with execute() calls of random size in between, into two
 * independent executors. Checked against a reference SCC computation: every dependency executes first unless it is
 * in the same component, components run contiguously in (seq, replica, instance) order, and the two executors order
 * every conflicting pair the same way (with a single key: the same total order).
 */
class GraphExecutorRandomizedTest
{
    static LongStream seeds()
    {
        return LongStream.rangeClosed(1, 80);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void executorsAgreeOnConflictOrderAndRespectDependencies(final long seed)
    {
        final Scenario scenario = new Scenario(new Random(seed), seed % 4 == 0 ? 1 : 0);
        final long[] first = scenario.run(new Random(seed * 31 + 7));
        final long[] second = scenario.run(new Random(seed * 131 + 3));

        final int[] firstPositions = scenario.checkExecution(first, "first executor");
        final int[] secondPositions = scenario.checkExecution(second, "second executor");
        for (int u = 0; u < scenario.size; u++)
        {
            for (int v = u + 1; v < scenario.size; v++)
            {
                if (scenario.conflict(u, v) &&
                    (firstPositions[u] < firstPositions[v]) != (secondPositions[u] < secondPositions[v]))
                {
                    fail("seed " + seed + ": executors disagree on " + Dot.toString(scenario.dots[u]) + " vs " +
                        Dot.toString(scenario.dots[v]));
                }
            }
        }
        if (scenario.keyCount == 1)
        {
            assertArrayEquals(first, second, "seed " + seed + ": one key, so one total order");
        }
    }

    private static final class Scenario
    {
        final int replicas;
        final int size;
        final int keyCount;
        final long[] dots;
        final int[] seqs;
        final int[] keys;
        final long[][] deps;
        final int[] instancesPerReplica;
        final Map<Long, Integer> indexOfDot = new HashMap<>();
        final boolean[][] edge;
        final boolean[][] reach;

        Scenario(final Random random, final int forcedKeyCount)
        {
            replicas = 1 + random.nextInt(4);
            keyCount = forcedKeyCount > 0 ? forcedKeyCount : 1 + random.nextInt(4);
            instancesPerReplica = new int[replicas];
            final List<Long> allDots = new ArrayList<>();
            for (int r = 0; r < replicas; r++)
            {
                instancesPerReplica[r] = 3 + random.nextInt(45);
                for (int i = 1; i <= instancesPerReplica[r]; i++)
                {
                    allDots.add(Dot.of(r, i));
                }
            }
            size = allDots.size();
            dots = new long[size];
            seqs = new int[size];
            keys = new int[size];
            edge = new boolean[size][size];
            for (int n = 0; n < size; n++)
            {
                dots[n] = allDots.get(n);
                indexOfDot.put(dots[n], n);
                seqs[n] = random.nextInt(6);
                final int secondKey = random.nextInt(3) == 0 ? 1 << random.nextInt(keyCount) : 0;
                keys[n] = (1 << random.nextInt(keyCount)) | secondKey;
            }
            // The later proposal depends on the earlier, as EPaxos produces, except that proposals close in time
            // (concurrent) may see each other: edges both ways, or only the other way. The per-seed window gives
            // anything from a DAG to one component spanning the graph.
            final int[] proposedAt = new int[size];
            Arrays.setAll(proposedAt, i -> random.nextInt(size * 4));
            final int concurrencyWindow = random.nextInt(5) == 0 ? size * 4 : random.nextInt(16);
            for (int u = 0; u < size; u++)
            {
                for (int v = u + 1; v < size; v++)
                {
                    final int later = proposedAt[u] >= proposedAt[v] ? u : v;
                    final int earlier = later == u ? v : u;
                    if (conflict(u, v))
                    {
                        edge[later][earlier] = true;
                        if (Math.abs(proposedAt[u] - proposedAt[v]) < concurrencyWindow && random.nextBoolean())
                        {
                            edge[earlier][later] = true;
                            edge[later][earlier] = random.nextBoolean();
                        }
                    }
                    else if (random.nextInt(200) == 0)
                    {
                        edge[later][earlier] = true;
                    }
                }
            }

            deps = new long[size][];
            for (int u = 0; u < size; u++)
            {
                final List<Long> list = new ArrayList<>();
                for (int v = 0; v < size; v++)
                {
                    if (edge[u][v])
                    {
                        list.add(dots[v]);
                    }
                }
                if (random.nextInt(10) == 0)
                {
                    list.add(dots[u]);
                }
                if (random.nextInt(10) == 0)
                {
                    list.add(Dot.NONE);
                }
                Collections.shuffle(list, random);
                deps[u] = list.stream().mapToLong(Long::longValue).toArray();
            }

            reach = new boolean[size][];
            for (int u = 0; u < size; u++)
            {
                reach[u] = edge[u].clone();
                reach[u][u] = true;
            }
            for (int k = 0; k < size; k++)
            {
                for (int i = 0; i < size; i++)
                {
                    if (reach[i][k])
                    {
                        for (int j = 0; j < size; j++)
                        {
                            reach[i][j] |= reach[k][j];
                        }
                    }
                }
            }
        }

        boolean conflict(final int u, final int v)
        {
            return (keys[u] & keys[v]) != 0;
        }

        boolean sameComponent(final int u, final int v)
        {
            return reach[u][v] && reach[v][u];
        }

        long[] run(final Random random)
        {
            final ExecutionRecorder recorder = new ExecutionRecorder();
            final GraphExecutor executor = new GraphExecutor(replicas, 4, recorder);
            final int[] order = new int[size];
            Arrays.setAll(order, i -> i);
            for (int i = size - 1; i > 0; i--)
            {
                final int j = random.nextInt(i + 1);
                final int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }

            final boolean[] committed = new boolean[size];
            final long[] scratch = new long[size + 2];
            for (final int n : order)
            {
                commit(executor, n, scratch);
                committed[n] = true;
                if (random.nextInt(4) == 0)
                {
                    final int other = random.nextInt(size); // a duplicate, or a commit that overtakes the order
                    commit(executor, other, scratch);
                    committed[other] = true;
                }
                if (random.nextInt(3) == 0)
                {
                    executor.execute(1 + random.nextInt(20));
                }
                if (random.nextInt(8) == 0)
                {
                    assertMissingReported(executor, committed);
                }
            }
            while (executor.execute(1 + random.nextInt(50)) > 0)
            {
                assertTrue(recorder.size() <= size);
            }

            assertEquals(0, executor.pendingCount());
            assertEquals(0, executor.storedCount());
            assertEquals(0, executor.waiterCount(), "every waiter was woken and discarded");
            assertEquals(0, executor.forEachMissingDependency(dot -> fail("missing " + Dot.toString(dot))));
            for (int r = 0; r < replicas; r++)
            {
                assertEquals(instancesPerReplica[r], executor.executedUpTo(r));
            }

            return recorder.order();
        }

        int[] checkExecution(final long[] executed, final String who)
        {
            assertEquals(size, executed.length, who + " executed " + executed.length + " of " + size);
            final int[] position = new int[size];
            Arrays.fill(position, -1);
            for (int p = 0; p < executed.length; p++)
            {
                final int n = indexOfDot.get(executed[p]);
                assertEquals(-1, position[n], who + " executed " + Dot.toString(executed[p]) + " twice");
                position[n] = p;
            }

            for (int u = 0; u < size; u++)
            {
                int first = Integer.MAX_VALUE;
                int last = -1;
                int members = 0;
                for (int v = 0; v < size; v++)
                {
                    if (edge[u][v] && !sameComponent(u, v) && position[v] > position[u])
                    {
                        fail(who + ": " + Dot.toString(dots[u]) + " ran before its dependency " +
                            Dot.toString(dots[v]));
                    }
                    if (sameComponent(u, v))
                    {
                        members++;
                        first = Math.min(first, position[v]);
                        last = Math.max(last, position[v]);
                        if (v != u && before(u, v) != position[u] < position[v])
                        {
                            fail(who + ": " + Dot.toString(dots[u]) + " and " + Dot.toString(dots[v]) +
                                " share a component but are not in (seq, replica, instance) order");
                        }
                    }
                }
                assertEquals(members, last - first + 1, who + ": component of " + Dot.toString(dots[u]) +
                    " was interleaved with other nodes");
            }

            return position;
        }

        private boolean before(final int u, final int v)
        {
            if (seqs[u] != seqs[v])
            {
                return seqs[u] < seqs[v];
            }
            if (Dot.replica(dots[u]) != Dot.replica(dots[v]))
            {
                return Dot.replica(dots[u]) < Dot.replica(dots[v]);
            }
            return Dot.instance(dots[u]) < Dot.instance(dots[v]);
        }

        private void commit(final GraphExecutor executor, final int n, final long[] scratch)
        {
            System.arraycopy(deps[n], 0, scratch, 0, deps[n].length);
            executor.commit(dots[n], seqs[n], scratch, deps[n].length);
            Arrays.fill(scratch, -1L); // the executor must have copied them
        }

        private void assertMissingReported(final GraphExecutor executor, final boolean[] committed)
        {
            final LongHashSet expected = new LongHashSet();
            for (int u = 0; u < size; u++)
            {
                if (committed[u])
                {
                    for (final long dep : deps[u])
                    {
                        if (dep != Dot.NONE && !committed[indexOfDot.get(dep)])
                        {
                            expected.add(dep);
                        }
                    }
                }
            }
            final LongHashSet reported = new LongHashSet();
            final int count = executor.forEachMissingDependency(dot -> assertTrue(reported.add(dot), "twice"));
            assertEquals(expected, reported);
            assertEquals(expected.size(), count);
        }
    }
}
