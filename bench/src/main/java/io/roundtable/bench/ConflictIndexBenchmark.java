package io.roundtable.bench;

import io.roundtable.command.KeySet;
import io.roundtable.conflict.ConflictIndex;
import io.roundtable.protocol.Dot;
import io.roundtable.protocol.DotSet;
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
 * The dependency computation of EPaxos and Atlas (both keep a {@link ConflictIndex}): {@link #writeThenReadLifecycle}
 * takes a command through its whole life in the index (collect deps and seq as a coordinator or acceptor does,
 * register it pending, then commit it with its deps); {@link #lookup} is the collect alone. Keys are drawn
 * round-robin from a key space of the given size, pre-populated so every lookup hits.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED"})
public class ConflictIndexBenchmark
{
    @Param({"1", "1000", "1000000"})
    public int keySpace;

    private final ConflictIndex index = new ConflictIndex();
    private final KeySet writeKeys = new KeySet();
    private final KeySet readKeys = new KeySet();
    private final DotSet deps = new DotSet(16);
    private long nextInstance = 1;
    private long nextKey;

    @Setup
    public void setUp()
    {
        for (long key = 0; key < keySpace; key++)
        {
            writeKeys.clear();
            writeKeys.add(key, true);
            final long dot = Dot.of(1, nextInstance++);
            index.onPending(dot, writeKeys, 1);
            index.onCommitted(dot, writeKeys, 1, deps.array(), 0);
        }
    }

    /** The deps and seq of a write on one key, nothing registered: what each acceptor of a PreAccept computes. */
    @Benchmark
    public int lookup()
    {
        final long key = nextKey;
        nextKey = nextKey + 1 == keySpace ? 0 : nextKey + 1;

        writeKeys.clear();
        writeKeys.add(key, true);
        deps.clear();
        return index.collect(writeKeys, Dot.of(0, nextInstance), deps) + deps.size();
    }

    @Benchmark
    public int writeThenReadLifecycle()
    {
        final long key = nextKey;
        nextKey = nextKey + 1 == keySpace ? 0 : nextKey + 1;

        writeKeys.clear();
        writeKeys.add(key, true);
        final long write = Dot.of(0, nextInstance++);
        deps.clear();
        final int writeSeq = index.collect(writeKeys, write, deps) + 1;
        index.onPending(write, writeKeys, writeSeq);
        index.onCommitted(write, writeKeys, writeSeq, deps.array(), deps.size());

        readKeys.clear();
        readKeys.add(key, false);
        final long read = Dot.of(2, nextInstance++);
        deps.clear();
        final int readSeq = index.collect(readKeys, read, deps) + 1;
        index.onPending(read, readKeys, readSeq);
        index.onCommitted(read, readKeys, readSeq, deps.array(), deps.size());
        return writeSeq + readSeq + deps.size();
    }
}
