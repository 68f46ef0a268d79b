package io.roundtable.bench;

import io.roundtable.command.CommandBatchWriter;
import io.roundtable.sim.DirectCluster;
import io.roundtable.statemachine.KeyValueCommands;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The CPU cost per command of batched replication, without I/O: a batch of {@code batchSize} KV puts (each writing
 * the shared hot key with 2% probability, else its client's own key, as the runtime's workload does) submitted at a
 * rotating coordinator of N in-process cores of each protocol and carried through every message, commit, execution
 * and state machine at every replica. One op is one command: ops/µs × 10^6 is the single-thread ceiling of commands/s
 * for the whole cluster's protocol work, to set against the runtime's measured throughput. The replicas tick every
 * {@value #COMMANDS} commands (every batch of 256), about what the runtime's duty cycle handles between two 1 ms
 * ticks at its measured throughput; each tick advances half a phase timeout (see {@link ProtocolRoundBenchmark}
 * for why).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED"})
public class ProtocolBatchBenchmark
{
    @Param({"epaxos", "atlas", "tempo", "paxos"})
    public String protocol;

    private static final int COMMANDS = 256;

    @Param({"3"})
    public int replicas;

    @Param({"1", "16", "256"})
    public int batchSize;

    private DirectCluster cluster;
    private final ExpandableArrayBuffer payload = new ExpandableArrayBuffer(64);
    private final ExpandableArrayBuffer batch = new ExpandableArrayBuffer(64 * 1024);
    private final KeyValueCommands kv = new KeyValueCommands();
    private final CommandBatchWriter writer = new CommandBatchWriter();
    private final SplittableRandom random = new SplittableRandom(1);
    private final long[] keys = new long[1];
    private final UnsafeBuffer value = new UnsafeBuffer(new byte[8]);
    private long request;
    private int batchesPerTick;
    private long batches;

    @Setup
    public void setUp()
    {
        cluster = InProcessClusters.started(protocol, replicas);
        batchesPerTick = Math.max(1, COMMANDS / batchSize);
    }

    @TearDown
    public void checkEveryCommandExecuted()
    {
        InProcessClusters.requireAllExecuted(cluster, protocol, request, replicas);
    }

    /** {@value #COMMANDS} commands, in batches of {@code batchSize}. */
    @Benchmark
    @OperationsPerInvocation(COMMANDS)
    public long replicatedCommands()
    {
        for (int sent = 0; sent < COMMANDS; sent += batchSize)
        {
            final int coordinator = (int)(batches++ % replicas);
            writer.begin(batch, 0, batchSize);
            for (int i = 0; i < batchSize; i++)
            {
                request++;
                final long client = 1 + (request % 768);
                keys[0] = random.nextInt(100) < 2 ? 0 : client;
                value.putLong(0, request);
                final int payloadLength = kv.put(payload, 0, keys[0], value, 0, 8);
                writer.add(client, request, true, keys, 1, payload, 0, payloadLength);
            }
            cluster.submit(coordinator, batch, writer.end());
            cluster.deliverAll();
            if (batches % batchesPerTick == 0)
            {
                cluster.tick(); // promises (Tempo), Progress, garbage collection
            }
        }
        return cluster.executedCommands();
    }
}
