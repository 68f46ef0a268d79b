package io.roundtable.bench;

import io.roundtable.execution.GraphExecutor;
import io.roundtable.protocol.Dot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One executor pass over a 1,000-node graph per operation: commit the nodes with fresh dots (instances keep
 * increasing, so the watermark frees every executed node and memory stays flat), then execute until done. Run with
 * {@code -prof gc}: once warm, {@code gc.alloc.rate.norm} should be about 0 B/op.
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
    private static final int NODES = 1000;
    private static final int REPLICAS = 3;
    private static final int WORK_LIMIT = 4096;
    private static final int CHORD = 17;

    private final long[] deps = new long[2];
    private final long[] nextInstance = new long[REPLICAS];
    private final int[] ringSeqs = new int[NODES];
    private final long[] batchDots = new long[NODES];
    private GraphExecutor executor;
    private int executed;

    @Setup
    public void setup()
    {
        executor = new GraphExecutor(REPLICAS, 2 * NODES, (dot) -> executed++);
        for (int i = 0; i < NODES; i++)
        {
            ringSeqs[i] = (i * 7919) % 97;
        }
    }

    /** Each node depends on the previous one: 1,000 single-node components. */
    @Benchmark
    public int chain()
    {
        executed = 0;
        final long base = nextInstance[0];
        for (int i = 1; i <= NODES; i++)
        {
            deps[0] = Dot.of(0, base + i - 1);
            executor.commit(Dot.of(0, base + i), 0, deps, 1);
        }
        nextInstance[0] = base + NODES;

        return drain();
    }

    /** The same chain committed newest first: every node waits for its dependency until the last commit. */
    @Benchmark
    public int chainCommittedInReverse()
    {
        executed = 0;
        final long base = nextInstance[0];
        for (int i = NODES; i >= 1; i--)
        {
            deps[0] = Dot.of(0, base + i - 1);
            executor.commit(Dot.of(0, base + i), 0, deps, 1);
        }
        nextInstance[0] = base + NODES;

        return drain();
    }

    /** The chain as a replica sees it in steady state: execute after every commit. */
    @Benchmark
    public int chainExecutedAfterEachCommit()
    {
        executed = 0;
        final long base = nextInstance[0];
        for (int i = 1; i <= NODES; i++)
        {
            deps[0] = Dot.of(0, base + i - 1);
            executor.commit(Dot.of(0, base + i), 0, deps, 1);
            executor.execute(WORK_LIMIT);
        }
        nextInstance[0] = base + NODES;

        return drain();
    }

    /**
     * A ring over three replicas with a chord from every node: one 1,000-node component, sorted by (seq, replica,
     * instance) before it executes.
     */
    @Benchmark
    public int ringWithChords()
    {
        executed = 0;
        for (int i = 0; i < NODES; i++)
        {
            final int replica = i % REPLICAS;
            batchDots[i] = Dot.of(replica, nextInstance[replica] + i / REPLICAS + 1);
        }
        for (int i = 0; i < NODES; i++)
        {
            deps[0] = batchDots[(i + NODES - 1) % NODES];
            deps[1] = batchDots[(i + CHORD) % NODES];
            executor.commit(batchDots[i], ringSeqs[i], deps, 2);
        }
        for (int i = 0; i < NODES; i++)
        {
            nextInstance[Dot.replica(batchDots[i])]++;
        }

        return drain();
    }

    private int drain()
    {
        while (executor.execute(WORK_LIMIT) > 0)
        {
            // keep going until there is nothing left to do
        }

        if (executed != NODES || executor.pendingCount() != 0)
        {
            throw new IllegalStateException("executed " + executed + ", pending " + executor.pendingCount());
        }

        return executed;
    }
}
