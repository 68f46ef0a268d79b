package io.roundtable.bench;

import io.roundtable.journal.ChronicleJournal;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The journal as a duty cycle drives it: {@value #BATCH} records of {@value #RECORD_BYTES} bytes (about an instance
 * record of a one-command batch) appended to Chronicle Queue, then one {@code flush()}. One op is one record. With
 * {@code NONE} the flush is a no-op; with {@code PER_BATCH} it msyncs, which on {@code /dev/shm} (tmpfs, the default
 * {@code root}) costs the system call but no device write: pass {@code -p root=/var/tmp} (or any disk) to measure the
 * device. Each iteration writes a fresh queue in a temporary directory under {@code root}, deleted after it, so the
 * files never outgrow memory.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
    "-Dchronicle.analytics.disable=true", "-Dchronicle.announcer.disable=true" })
public class ChronicleJournalBenchmark
{
    private static final int BATCH = 16;
    private static final int RECORD_BYTES = 128;

    @Param({ "NONE", "PER_BATCH" })
    public ChronicleJournal.FlushPolicy flushPolicy;

    @Param({ "/dev/shm" })
    public String root;

    private final UnsafeBuffer record = new UnsafeBuffer(ByteBuffer.allocateDirect(RECORD_BYTES));
    private Path directory;
    private ChronicleJournal journal;
    private long appended;

    @Setup(Level.Iteration)
    public void open() throws IOException
    {
        directory = Files.createTempDirectory(Path.of(root), "roundtable-jmh-journal-");
        journal = new ChronicleJournal(directory, flushPolicy);
    }

    @TearDown(Level.Iteration)
    public void closeAndDelete()
    {
        journal.close();
        IoUtil.delete(directory.toFile(), false);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long appendBatchThenFlush()
    {
        for (int i = 0; i < BATCH; i++)
        {
            record.putLong(0, ++appended);
            journal.append(record, 0, RECORD_BYTES);
        }
        journal.flush();
        return appended;
    }
}
