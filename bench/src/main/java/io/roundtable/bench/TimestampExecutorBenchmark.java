package io.roundtable.bench;

import io.roundtable.command.KeySet;
import io.roundtable.execution.TimestampExecutor;
import io.roundtable.protocol.Dot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Tempo's executor: {@value #COMMANDS} commands from three replicas committed with increasing timestamps on
 * {@code keysPerCommand} of {@value #KEYS} keys, committed in an order that is not their timestamp order (each group
 * of three newest first), then every key declared stable and everything executed. One op is one command. Dots keep
 * increasing, so executed commands are freed and memory stays flat; {@code -prof gc} should read ~0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED" })
public class TimestampExecutorBenchmark
{
    private static final int COMMANDS = 255;
    private static final int REPLICAS = 3;
    private static final int KEYS = 64;
    private static final int WORK_LIMIT = 4096;

    @Param({ "1", "4" })
    public int keysPerCommand;

    private final KeySet keys = new KeySet();
    private final long[] nextInstance = new long[REPLICAS];
    private TimestampExecutor executor;
    private long clock;
    private long executed;

    @Setup
    public void setup()
    {
        executor = new TimestampExecutor(REPLICAS, 2 * COMMANDS, (dot) -> executed++);
    }

    @Benchmark
    @OperationsPerInvocation(COMMANDS)
    public long commitStableExecute()
    {
        final long before = executed;
        final long base = clock;
        for (int group = 0; group < COMMANDS; group += REPLICAS)
        {
            for (int i = group + REPLICAS - 1; i >= group; i--)
            {
                keys.clear();
                for (int k = 0; k < keysPerCommand; k++)
                {
                    keys.add((i * 7L + k) % KEYS, true);
                }
                final int replica = i % REPLICAS;
                executor.commit(Dot.of(replica, nextInstance[replica] + i / REPLICAS + 1), base + i + 1, keys);
            }
        }
        for (int replica = 0; replica < REPLICAS; replica++)
        {
            nextInstance[replica] += COMMANDS / REPLICAS;
        }
        clock = base + COMMANDS;
        for (long key = 0; key < KEYS; key++)
        {
            executor.stable(key, clock);
        }
        while (executor.execute(WORK_LIMIT) > 0)
        {
            // keep going until there is nothing left to do
        }
        if (executed - before != COMMANDS || executor.pendingCount() != 0)
        {
            throw new IllegalStateException("executed " + (executed - before) + ", pending " + executor.pendingCount());
        }
        return executed;
    }
}
