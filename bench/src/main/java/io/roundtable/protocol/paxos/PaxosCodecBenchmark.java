package io.roundtable.protocol.paxos;

import io.roundtable.bench.LastMessageOutbox;
import io.roundtable.protocol.Ballot;
import io.roundtable.protocol.ProtocolCounters;
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
 * SBE encode + decode of every Multi-Paxos message through the code a replica runs: {@link PaxosPublisher} into an
 * outbox buffer, {@link PaxosMessageAdapter} (validation included) into a handler that reads every field. Commands are
 * the one-command batch of {@link LastMessageOutbox#writeSampleBatch}; a Promise carries 2 accepted positions.
 * <p>
 * In Multi-Paxos's package (of the bench module) because the publisher, adapter and handler are the protocol's
 * internals, not API.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED" })
public class PaxosCodecBenchmark
{
    private static final int REPLICAS = 3;
    private static final long FIRST_POSITION = 1_000L;

    @Param({ "Forward", "Prepare", "Promise", "Accept", "Accepted", "Chosen", "Heartbeat", "Nack", "Progress" })
    public String message;

    private final LastMessageOutbox outbox = new LastMessageOutbox();
    private final PaxosPublisher publisher =
        new PaxosPublisher(outbox, new ProtocolCounters(), PaxosPublisher.DEFAULT_PROMISE_PAGE_BYTES);
    private final ReadingHandler handler = new ReadingHandler();
    private final PaxosMessageAdapter adapter = new PaxosMessageAdapter(handler, REPLICAS);
    private final PaxosLog log = new PaxosLog(16);
    private final ExpandableArrayBuffer commands = new ExpandableArrayBuffer(256);
    private byte[] commandBytes;
    private final long ballot = Ballot.initial(0, 1);
    private int commandsLength;
    private long position = FIRST_POSITION;
    private Runnable encoder;

    @Setup
    public void setup()
    {
        commandsLength = LastMessageOutbox.writeSampleBatch(commands);
        commandBytes = new byte[commandsLength];
        commands.getBytes(0, commandBytes);
        for (long p = FIRST_POSITION; p < FIRST_POSITION + 2; p++)
        {
            final int slot = log.getOrCreate(p);
            log.status[slot] = p == FIRST_POSITION ? PaxosLog.COMMITTED : PaxosLog.ACCEPTED;
            log.acceptedBallot[slot] = ballot;
            log.storeCommands(slot, commands, 0, commandsLength);
        }
        encoder = encoderOf(message);
        encoder.run();
        adapter.onMessage(1, outbox.message(), 0, outbox.length());
        if (handler.unexpected != 0 || handler.checksum == 0)
        {
            throw new IllegalStateException(message + " did not decode");
        }
    }

    /** One message encoded by the publisher, then decoded by the adapter; returns what the handler read. */
    @Benchmark
    public long encodeAndDecode()
    {
        position++;
        encoder.run();
        adapter.onMessage(1, outbox.message(), 0, outbox.length());
        return handler.checksum;
    }

    private Runnable encoderOf(final String name)
    {
        switch (name)
        {
            case "Forward": return this::forward;
            case "Prepare": return this::prepare;
            case "Promise": return this::promise;
            case "Accept": return this::accept;
            case "Accepted": return this::accepted;
            case "Chosen": return this::chosen;
            case "Heartbeat": return this::heartbeat;
            case "Nack": return this::nack;
            case "Progress": return this::progress;
            default: throw new IllegalArgumentException("no such message: " + name);
        }
    }

    private void forward()
    {
        publisher.forward(0, commands, 0, commandsLength);
    }

    private void prepare()
    {
        publisher.prepareToAll(ballot, position);
    }

    private void promise()
    {
        publisher.promise(0, ballot, FIRST_POSITION, log, FIRST_POSITION, FIRST_POSITION + 1);
    }

    private void accept()
    {
        publisher.accept(0, ballot, position, position - 1, commandBytes, commandsLength);
    }

    private void accepted()
    {
        publisher.accepted(0, ballot, position);
    }

    private void chosen()
    {
        publisher.chosen(0, ballot, position, commandBytes, commandsLength);
    }

    private void heartbeat()
    {
        publisher.heartbeatToAll(ballot, position);
    }

    private void nack()
    {
        publisher.nack(0, ballot, PaxosLog.dotOf(position), ballot + 1);
    }

    private void progress()
    {
        publisher.progressToAll(1, position);
    }

    /** Reads every field it is handed, as the core would, into a checksum the benchmark returns. */
    private static final class ReadingHandler implements PaxosHandler
    {
        long checksum;
        int unexpected;

        public void onForward(
            final int from, final DirectBuffer commands, final int commandsOffset, final int commandsLength)
        {
            checksum += commands.getLong(commandsOffset) + commandsLength;
        }

        public void onPrepare(final int from, final long ballot, final long fromPosition)
        {
            checksum += ballot + fromPosition;
        }

        public void onPromiseBegin(final int from, final long ballot, final long chosenUpTo)
        {
            checksum += ballot + chosenUpTo;
        }

        public void onPromiseEntry(
            final int from, final long ballot, final long position, final long acceptedBallot, final boolean chosen,
            final DirectBuffer commands, final int commandsOffset, final int commandsLength)
        {
            checksum += ballot + position + acceptedBallot + (chosen ? 1 : 0) + commands.getLong(commandsOffset) +
                commandsLength;
        }

        public void onPromiseEnd(final int from, final long ballot, final long coveredUpTo, final boolean lastPage)
        {
            checksum += ballot;
        }

        public void onAccept(
            final int from, final long ballot, final long position, final long chosenUpTo,
            final DirectBuffer commands, final int commandsOffset, final int commandsLength)
        {
            checksum += ballot + position + chosenUpTo + commands.getLong(commandsOffset) + commandsLength;
        }

        public void onAccepted(final int from, final long ballot, final long position)
        {
            checksum += ballot + position;
        }

        public void onChosen(
            final int from, final long ballot, final long position, final DirectBuffer commands,
            final int commandsOffset, final int commandsLength)
        {
            checksum += ballot + position + commands.getLong(commandsOffset) + commandsLength;
        }

        public void onHeartbeat(final int from, final long ballot, final long chosenUpTo)
        {
            checksum += ballot + chosenUpTo;
        }

        public void onNack(final int from, final long ballot, final long dot, final long promisedBallot)
        {
            checksum += ballot + dot + promisedBallot;
        }

        public void onProgress(final int from, final int origin, final long executedUpTo)
        {
            checksum += from + origin + executedUpTo;
        }

        public void onUnexpected(final int from, final int templateId)
        {
            unexpected++;
        }
    }
}
