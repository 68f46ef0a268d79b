package io.roundtable.bench;

import io.roundtable.command.CommandBatchWriter;
import io.roundtable.sim.DirectCluster;
import io.roundtable.statemachine.KeyValueCommands;
import org.agrona.ExpandableArrayBuffer;
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
 * One full EPaxos round in-process: a put submitted at a rotating coordinator, every PreAccept/PreAcceptOk/
 * (Accept/AcceptOk)/Commit delivered, the command executed by the graph executor and applied to the key-value store
 * at every replica. The op is one replicated command; {@code -prof gc} shows the bytes it allocates.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED"})
public class EpaxosRoundBenchmark
{
    @Param({"3", "5"})
    public int replicas;

    /** Percentage of commands writing the one shared hot key; the rest write a per-coordinator key. */
    @Param({"0", "100"})
    public int conflictPercent;

    private DirectCluster cluster;
    private final ExpandableArrayBuffer payload = new ExpandableArrayBuffer(64);
    private final ExpandableArrayBuffer batch = new ExpandableArrayBuffer(128);
    private final KeyValueCommands kv = new KeyValueCommands();
    private final CommandBatchWriter writer = new CommandBatchWriter();
    private final long[] keys = new long[1];
    private final byte[] value = new byte[8];
    private long request;

    @Setup
    public void setUp()
    {
        cluster = new DirectCluster(replicas);
    }

    @Benchmark
    public long replicatedPut()
    {
        request++;
        final int coordinator = (int)(request % replicas);
        keys[0] = (request % 100) < conflictPercent ? 0 : 1_000 + coordinator;
        value[0] = (byte)request;
        final int payloadLength = kv.put(payload, 0, keys[0], value);
        final int length = writer.begin(batch, 0, 1)
            .add(coordinator, request, true, keys, 1, payload, 0, payloadLength)
            .length();
        cluster.submit(coordinator, batch, length);
        cluster.deliverAll();
        if ((request & 1023) == 0)
        {
            cluster.tick(); // Progress messages and garbage collection, as a duty cycle's timer step would
        }
        return cluster.executedCommands();
    }
}
