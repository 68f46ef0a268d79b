package io.roundtable.protocol.tempo;

import io.roundtable.command.KeySet;
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
 * Tempo's timestamp proposal (§3), the counterpart of EPaxos/Atlas's dependency computation in
 * {@code ConflictIndexBenchmark}: a coordinator or fast-quorum member proposes a timestamp for a command on one key
 * (above the key's clock, raising it), then bumps the key to the committed timestamp as a commit does. Keys are drawn
 * round-robin from a key space of the given size, pre-populated so every lookup hits. Each promises message clears
 * the changed-key set; here it is cleared every {@value #CLEAR_EVERY} proposals, as ticks would.
 * <p>
 * In Tempo's package (of the bench module) because {@link KeyClocks} is the protocol's internals, not API.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED" })
public class KeyClocksBenchmark
{
    private static final int CLEAR_EVERY = 64;

    @Param({"1", "1000", "1000000"})
    public int keySpace;

    private final KeyClocks clocks = new KeyClocks();
    private final KeySet keys = new KeySet();
    private final long[] voteFrom = new long[1];
    private long nextKey;
    private long proposals;

    @Setup
    public void setUp()
    {
        for (long key = 0; key < keySpace; key++)
        {
            keys.clear();
            keys.add(key, true);
            clocks.propose(keys, 1, voteFrom);
        }
        // Filling the clocks marked every key changed and grew the set to the key space; a replica's set only ever
        // holds the keys of one tick, so shrink it back rather than clear a million-entry table every few proposals.
        clocks.clearChanged();
        clocks.changed().compact();
    }

    @Benchmark
    public long proposeThenCommit()
    {
        final long key = nextKey;
        nextKey = nextKey + 1 == keySpace ? 0 : nextKey + 1;

        keys.clear();
        keys.add(key, true);
        final long proposal = clocks.propose(keys, 1, voteFrom);
        clocks.bump(keys, proposal + 1); // another fast-quorum member proposed one higher: the commit's timestamp
        if (++proposals % CLEAR_EVERY == 0)
        {
            clocks.clearChanged();
        }
        return proposal + voteFrom[0];
    }
}
