package io.roundtable.bench;

import io.roundtable.protocol.Ballot;
import io.roundtable.protocol.Dot;
import io.roundtable.protocol.DotSet;
import io.roundtable.protocol.ProtocolCounters;
import io.roundtable.protocol.dependency.DependencyHandler;
import io.roundtable.protocol.dependency.DependencyInstances;
import io.roundtable.protocol.dependency.DependencyMessageAdapter;
import io.roundtable.protocol.dependency.DependencyPublisher;
import org.agrona.DirectBuffer;
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
 * SBE encode + decode of every EPaxos/Atlas message, through the code a replica runs: encoded by {@link
 * DependencyPublisher} into an outbox buffer, decoded and validated by {@link DependencyMessageAdapter} (header,
 * lengths, sorted deps, enum values) into a handler that reads every field. Messages with deps carry 3, messages with
 * commands carry the one-command batch of {@link LastMessageOutbox#writeSampleBatch}; a Progress message carries one
 * entry per replica of 3. {@link PreAcceptCodecBenchmark} splits the PreAccept cost of the raw codecs alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED" })
public class DependencyCodecBenchmark
{
    private static final int REPLICAS = 3;

    @Param({
        "PreAccept", "PreAcceptOk", "Accept", "AcceptOk", "Commit", "Nack", "Prepare", "PrepareOk", "TryPreAccept",
        "TryPreAcceptReply", "Progress" })
    public String message;

    private final LastMessageOutbox outbox = new LastMessageOutbox();
    private final DependencyPublisher publisher = new DependencyPublisher(outbox, new ProtocolCounters());
    private final ReadingHandler handler = new ReadingHandler();
    private final DependencyMessageAdapter adapter = new DependencyMessageAdapter(handler, REPLICAS);
    private final DependencyInstances instances = new DependencyInstances(16);
    private final ExpandableArrayBuffer commands = new ExpandableArrayBuffer(256);
    private final DotSet deps = new DotSet(16);
    private final long[] executedUpTo = new long[REPLICAS];
    private final long ballot = Ballot.initial(0, 1);
    private int commandsLength;
    private long dot = Dot.of(1, 1_000_000L);
    private Runnable encoder;

    @Setup
    public void setup()
    {
        commandsLength = LastMessageOutbox.writeSampleBatch(commands);
        deps.add(Dot.of(0, 999_998L));
        deps.add(Dot.of(1, 999_999L));
        deps.add(Dot.of(2, 1_000_001L));
        encoder = encoderOf(message);
        encoder.run();
        if (!adapter.onMessage(0, outbox.message(), 0, outbox.length()) || handler.unexpected != 0)
        {
            throw new IllegalStateException(message + " did not decode");
        }
    }

    /** One message encoded by the publisher, then decoded by the adapter; returns what the handler read. */
    @Benchmark
    public long encodeAndDecode()
    {
        dot++;
        encoder.run();
        adapter.onMessage(0, outbox.message(), 0, outbox.length());
        return handler.checksum;
    }

    /** Method references made once here, so the benchmark loop allocates nothing to pick the message. */
    private Runnable encoderOf(final String name)
    {
        switch (name)
        {
            case "PreAccept": return this::preAccept;
            case "PreAcceptOk": return this::preAcceptOk;
            case "Accept": return this::accept;
            case "AcceptOk": return this::acceptOk;
            case "Commit": return this::commit;
            case "Nack": return this::nack;
            case "Prepare": return this::prepare;
            case "PrepareOk": return this::prepareOk;
            case "TryPreAccept": return this::tryPreAccept;
            case "TryPreAcceptReply": return this::tryPreAcceptReply;
            case "Progress": return this::progress;
            default: throw new IllegalArgumentException("no such message: " + name);
        }
    }

    private void preAccept()
    {
        publisher.preAccept(null, DependencyPublisher.ALL, ballot, dot, 17, 0b111L, deps, commands, commandsLength);
    }

    private void preAcceptOk()
    {
        publisher.preAcceptOk(1, ballot, dot, 17, deps, instances);
    }

    private void accept()
    {
        publisher.accept(null, DependencyPublisher.ALL, ballot, dot, 17, deps, commands, commandsLength);
    }

    private void acceptOk()
    {
        publisher.acceptOk(1, ballot, dot);
    }

    private void commit()
    {
        publisher.commitToAll(ballot, dot, 17, deps, commands, commandsLength);
    }

    private void nack()
    {
        publisher.nack(1, ballot, dot, ballot + 1);
    }

    private void prepare()
    {
        publisher.prepareToAll(ballot, dot, commands, commandsLength);
    }

    private void prepareOk()
    {
        publisher.prepareOk(1, ballot, dot, DependencyInstances.ACCEPTED, ballot, 17, 0b111L, deps, commands,
            commandsLength);
    }

    private void tryPreAccept()
    {
        publisher.tryPreAccept(1, ballot, dot, 17, 0b111L, deps, commands, commandsLength);
    }

    private void tryPreAcceptReply()
    {
        publisher.tryPreAcceptReply(1, ballot, dot, false, deps.get(0), DependencyInstances.PRE_ACCEPTED);
    }

    private void progress()
    {
        for (int origin = 0; origin < REPLICAS; origin++)
        {
            executedUpTo[origin] = Dot.instance(dot) - origin;
        }
        publisher.progressToAll(0, executedUpTo);
    }

    /** Reads every field it is handed, as a protocol core would, into a checksum the benchmark returns. */
    private static final class ReadingHandler implements DependencyHandler
    {
        long checksum;
        int unexpected;

        public void onPreAccept(
            final int from, final long ballot, final long dot, final int seq, final long fastQuorum,
            final long[] deps, final int depsCount, final DirectBuffer commands, final int commandsOffset,
            final int commandsLength)
        {
            checksum += ballot + dot + seq + fastQuorum + sum(deps, depsCount) + commands.getLong(commandsOffset) +
                commandsLength;
        }

        public void onPreAcceptOk(
            final int from, final long ballot, final long dot, final int seq, final long[] deps,
            final boolean[] depsCommitted, final int depsCount)
        {
            checksum += ballot + dot + seq + sum(deps, depsCount) + (depsCommitted[0] ? 1 : 0);
        }

        public void onAccept(
            final int from, final long ballot, final long dot, final int seq, final long[] deps, final int depsCount,
            final DirectBuffer commands, final int commandsOffset, final int commandsLength)
        {
            checksum += ballot + dot + seq + sum(deps, depsCount) + commands.getLong(commandsOffset) + commandsLength;
        }

        public void onAcceptOk(final int from, final long ballot, final long dot)
        {
            checksum += ballot + dot;
        }

        public void onCommit(
            final int from, final long ballot, final long dot, final int seq, final long[] deps, final int depsCount,
            final DirectBuffer commands, final int commandsOffset, final int commandsLength)
        {
            checksum += ballot + dot + seq + sum(deps, depsCount) + commands.getLong(commandsOffset) + commandsLength;
        }

        public void onNack(final int from, final long ballot, final long dot, final long promisedBallot)
        {
            checksum += ballot + dot + promisedBallot;
        }

        public void onPrepare(
            final int from, final long ballot, final long dot, final DirectBuffer commands, final int commandsOffset,
            final int commandsLength)
        {
            checksum += ballot + dot + commands.getLong(commandsOffset) + commandsLength;
        }

        public void onPrepareOk(
            final int from, final long ballot, final long dot, final byte status, final long acceptedBallot,
            final int seq, final long fastQuorum, final long[] deps, final int depsCount, final DirectBuffer commands,
            final int commandsOffset, final int commandsLength)
        {
            checksum += ballot + dot + status + acceptedBallot + seq + fastQuorum + sum(deps, depsCount) +
                commands.getLong(commandsOffset) + commandsLength;
        }

        public void onTryPreAccept(
            final int from, final long ballot, final long dot, final int seq, final long fastQuorum,
            final long[] deps, final int depsCount, final DirectBuffer commands, final int commandsOffset,
            final int commandsLength)
        {
            checksum += ballot + dot + seq + fastQuorum + sum(deps, depsCount) + commands.getLong(commandsOffset) +
                commandsLength;
        }

        public void onTryPreAcceptReply(
            final int from, final long ballot, final long dot, final boolean ok, final long conflictDot,
            final byte conflictStatus)
        {
            checksum += ballot + dot + (ok ? 1 : 0) + conflictDot + conflictStatus;
        }

        public void onProgress(final int from, final int replica, final int origin, final long executedUpTo)
        {
            checksum += replica + origin + executedUpTo;
        }

        public void onUnexpected(final int from, final int templateId)
        {
            unexpected++;
        }

        private static long sum(final long[] values, final int count)
        {
            long sum = 0;
            for (int i = 0; i < count; i++)
            {
                sum += values[i];
            }
            return sum;
        }
    }
}
