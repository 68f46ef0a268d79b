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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One full protocol round in-process, for every protocol: a put submitted at a rotating coordinator of N pure cores
 * ({@link DirectCluster}), every message of the round delivered, the command executed (graph executor for EPaxos,
 * Atlas and Multi-Paxos, timestamp executor for Tempo) and applied to the key-value store at every replica. The op
 * is one replicated command; {@code -prof gc} shows the bytes it allocates.
 * <p>
 * Every {@value #TICK_EVERY} commands the replicas tick, as the runtime's duty-cycle timer does a few hundred
 * commands apart under load: Tempo needs it to execute at all (stability travels in the promises a tick sends, and a
 * promises message carries at most 64 attached promises per key, so a hot key falls behind with more than about 32
 * commands a tick), the others send Progress and collect garbage. A tick advances virtual time by half a phase
 * timeout, so every tick also sends Progress (and Tempo's promises for every key): more often per command than the
 * runtime (1 ms ticks, Progress every 25 ms), because Tempo's attached promises are only collected after a Progress
 * round and a key with 64 uncollected ones stops becoming stable, so with the runtime's pacing Tempo falls behind on
 * a hot key and never catches up here. Multi-Paxos forwards a put submitted at a follower
 * to the leader, which the set-up elects first; followers execute a slot once a later Accept or a heartbeat says it
 * is chosen.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED"})
public class ProtocolRoundBenchmark
{
    private static final int TICK_EVERY = 32;

    @Param({"epaxos", "atlas", "tempo", "paxos"})
    public String protocol;

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
        cluster = InProcessClusters.started(protocol, replicas);
    }

    @TearDown
    public void checkEveryCommandExecuted()
    {
        InProcessClusters.requireAllExecuted(cluster, protocol, request, replicas);
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
        if (request % TICK_EVERY == 0)
        {
            cluster.tick();
        }
        return cluster.executedCommands();
    }
}
