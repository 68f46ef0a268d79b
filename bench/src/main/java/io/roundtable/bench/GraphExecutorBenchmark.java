package io.roundtable.bench;

import io.roundtable.execution.GraphExecutor;
import io.roundtable.protocol.Dot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One executor pass over a graph of {@code size} nodes of the given {@code shape} per operation: commit the nodes with
 * fresh dots (instances keep increasing, so the watermark frees every executed node and memory stays flat), then
 * execute until done. Run with {@code -prof gc}: once warm, {@code gc.alloc.rate.norm} should be about 0 B/op.
 * <ul>
 * <li>{@code chain}: each node depends on the previous one (single-node components, in commit order);</li>
 * <li>{@code chainReversed}: the same chain committed newest first, so every node waits until the last commit;</li>
 * <li>{@code chainStepwise}: the chain as a replica sees it in steady state, executing after every commit;</li>
 * <li>{@code fan}: one node depending on {@code size − 1} independent nodes of three replicas, committed first, so it
 * waits on all of them (a wide fan-in, as a command after a burst on its key at every replica);</li>
 * <li>{@code scc}: a ring over three replicas with a chord from every node: one strongly connected component of
 * {@code size} nodes, sorted by (seq, replica, instance) before it executes.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED" })
public class GraphExecutorBenchmark
{
    private static final int REPLICAS = 3;
    private static final int WORK_LIMIT = 4096;
    private static final int CHORD = 17;

    @Param({ "chain", "chainReversed", "chainStepwise", "fan", "scc" })
    public String shape;

    @Param({ "10", "100", "1000" })
    public int size;

    private final long[] nextInstance = new long[REPLICAS];
    private long[] deps;
    private int[] ringSeqs;
    private long[] batchDots;
    private GraphExecutor executor;
    private int executed;
    private Runnable commitGraph;

    @Setup
    public void setup()
    {
        executor = new GraphExecutor(REPLICAS, 2 * size, (dot) -> executed++);
        deps = new long[size];
        ringSeqs = new int[size];
        batchDots = new long[size];
        for (int i = 0; i < size; i++)
        {
            ringSeqs[i] = (i * 7919) % 97;
        }
        commitGraph = shapeOf(shape);
    }

    @Benchmark
    public int commitAndExecute()
    {
        executed = 0;
        commitGraph.run();
        return drain();
    }

    /** Method references made once here, so the benchmark loop allocates nothing to pick the shape. */
    private Runnable shapeOf(final String name)
    {
        switch (name)
        {
            case "chain": return this::chain;
            case "chainReversed": return this::chainReversed;
            case "chainStepwise": return this::chainStepwise;
            case "fan": return this::fan;
            case "scc": return this::scc;
            default: throw new IllegalArgumentException("no such shape: " + name);
        }
    }

    private void chain()
    {
        final long base = nextInstance[0];
        for (int i = 1; i <= size; i++)
        {
            deps[0] = Dot.of(0, base + i - 1);
            executor.commit(Dot.of(0, base + i), 0, deps, 1);
        }
        nextInstance[0] = base + size;
    }

    private void chainReversed()
    {
        final long base = nextInstance[0];
        for (int i = size; i >= 1; i--)
        {
            deps[0] = Dot.of(0, base + i - 1);
            executor.commit(Dot.of(0, base + i), 0, deps, 1);
        }
        nextInstance[0] = base + size;
    }

    private void chainStepwise()
    {
        final long base = nextInstance[0];
        for (int i = 1; i <= size; i++)
        {
            deps[0] = Dot.of(0, base + i - 1);
            executor.commit(Dot.of(0, base + i), 0, deps, 1);
            executor.execute(WORK_LIMIT);
        }
        nextInstance[0] = base + size;
    }

    /** The leaves replica by replica, so the hub's deps are sorted as a decoded message's are. */
    private void fan()
    {
        final int leaves = size - 1;
        int count = 0;
        for (int replica = 0; replica < REPLICAS; replica++)
        {
            final int perReplica = leaves / REPLICAS + (replica < leaves % REPLICAS ? 1 : 0);
            for (int j = 1; j <= perReplica; j++)
            {
                deps[count++] = Dot.of(replica, nextInstance[replica] + j);
            }
            nextInstance[replica] += perReplica;
        }
        final long hub = Dot.of(0, ++nextInstance[0]);
        executor.commit(hub, 1, deps, leaves);
        for (int i = 0; i < leaves; i++)
        {
            executor.commit(deps[i], 0, deps, 0);
        }
    }

    private void scc()
    {
        for (int i = 0; i < size; i++)
        {
            final int replica = i % REPLICAS;
            batchDots[i] = Dot.of(replica, nextInstance[replica] + i / REPLICAS + 1);
        }
        for (int i = 0; i < size; i++)
        {
            deps[0] = batchDots[(i + size - 1) % size];
            deps[1] = batchDots[(i + CHORD) % size];
            executor.commit(batchDots[i], ringSeqs[i], deps, 2);
        }
        for (int i = 0; i < size; i++)
        {
            nextInstance[Dot.replica(batchDots[i])]++;
        }
    }

    private int drain()
    {
        while (executor.execute(WORK_LIMIT) > 0)
        {
            // keep going until there is nothing left to do
        }

        if (executed != size || executor.pendingCount() != 0)
        {
            throw new IllegalStateException(shape + " of " + size + ": executed " + executed + ", pending " +
                executor.pendingCount());
        }

        return executed;
    }
}
