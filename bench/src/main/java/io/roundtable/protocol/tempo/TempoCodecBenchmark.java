package io.roundtable.protocol.tempo;

import io.roundtable.bench.LastMessageOutbox;
import io.roundtable.protocol.Ballot;
import io.roundtable.protocol.Dot;
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
 * SBE encode + decode of every Tempo message through the code a replica runs: {@link TempoPublisher} into an outbox
 * buffer, {@link TempoMessageAdapter} (validation included) into a handler that reads every field. Commands are the
 * one-command batch of {@link LastMessageOutbox#writeSampleBatch}; a Promises message carries 2 keys with 2 attached
 * promises each, a Progress message one entry per replica of 3.
 * <p>
 * In Tempo's package (of the bench module) because the publisher, adapter and handler are the protocol's internals,
 * not API.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED" })
public class TempoCodecBenchmark
{
    private static final int REPLICAS = 3;

    @Param({
        "Propose", "ProposeAck", "Consensus", "ConsensusAck", "Commit", "Recover", "RecoverAck", "Promises", "Nack",
        "Progress" })
    public String message;

    private final LastMessageOutbox outbox = new LastMessageOutbox();
    private final TempoPublisher publisher = new TempoPublisher(outbox, new ProtocolCounters());
    private final ReadingHandler handler = new ReadingHandler();
    private final TempoMessageAdapter adapter = new TempoMessageAdapter(handler, REPLICAS);
    private final ExpandableArrayBuffer commands = new ExpandableArrayBuffer(256);
    private final int[] targets = { 1, 2 };
    private final long[] executedUpTo = new long[REPLICAS];
    private final long ballot = Ballot.initial(0, 1);
    private int commandsLength;
    private long dot = Dot.of(1, 1_000_000L);
    private Runnable encoder;

    @Setup
    public void setup()
    {
        commandsLength = LastMessageOutbox.writeSampleBatch(commands);
        encoder = encoderOf(message);
        encoder.run();
        adapter.onMessage(0, outbox.message(), 0, outbox.length());
        if (handler.unexpected != 0 || handler.checksum == 0)
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

    private Runnable encoderOf(final String name)
    {
        switch (name)
        {
            case "Propose": return this::propose;
            case "ProposeAck": return this::proposeAck;
            case "Consensus": return this::consensus;
            case "ConsensusAck": return this::consensusAck;
            case "Commit": return this::commit;
            case "Recover": return this::recover;
            case "RecoverAck": return this::recoverAck;
            case "Promises": return this::promises;
            case "Nack": return this::nack;
            case "Progress": return this::progress;
            default: throw new IllegalArgumentException("no such message: " + name);
        }
    }

    private void propose()
    {
        publisher.propose(targets, targets.length, ballot, dot, 1_000L, 0b111L, commands, commandsLength);
    }

    private void proposeAck()
    {
        publisher.proposeAck(1, ballot, dot, 1_000L);
    }

    private void consensus()
    {
        publisher.consensus(targets, targets.length, ballot, dot, 1_000L, commands, commandsLength);
    }

    private void consensusAck()
    {
        publisher.consensusAck(1, ballot, dot);
    }

    private void commit()
    {
        publisher.commit(TempoPublisher.ALL, ballot, dot, 1_000L, commands, commandsLength);
    }

    private void recover()
    {
        publisher.recoverToAll(ballot, dot, commands, commandsLength);
    }

    private void recoverAck()
    {
        publisher.recoverAck(1, ballot, dot, TempoInstances.ACCEPTED, ballot, 1_000L, ballot, 999L, 0b111L, commands,
            commandsLength);
    }

    private void promises()
    {
        publisher.beginPromises(2);
        for (long key = 42; key <= 43; key++)
        {
            publisher.promisedKey(key, 1_000L, 2)
                .next().dot(dot).from(998L)
                .next().dot(dot - 1).from(999L);
        }
        publisher.sendPromisesTo(1);
    }

    private void nack()
    {
        publisher.nack(1, ballot, dot, ballot + 1);
    }

    private void progress()
    {
        for (int origin = 0; origin < REPLICAS; origin++)
        {
            executedUpTo[origin] = Dot.instance(dot) - origin;
        }
        publisher.progressToAll(0, executedUpTo);
    }

    /** Reads every field it is handed, as the core would, into a checksum the benchmark returns. */
    private static final class ReadingHandler implements TempoHandler
    {
        long checksum;
        int unexpected;

        public void onPropose(
            final int from, final long ballot, final long dot, final long timestamp, final long fastQuorum,
            final DirectBuffer commands, final int commandsOffset, final int commandsLength)
        {
            checksum += ballot + dot + timestamp + fastQuorum + commands.getLong(commandsOffset) + commandsLength;
        }

        public void onProposeAck(final int from, final long ballot, final long dot, final long timestamp)
        {
            checksum += ballot + dot + timestamp;
        }

        public void onConsensus(
            final int from, final long ballot, final long dot, final long timestamp, final DirectBuffer commands,
            final int commandsOffset, final int commandsLength)
        {
            checksum += ballot + dot + timestamp + commands.getLong(commandsOffset) + commandsLength;
        }

        public void onConsensusAck(final int from, final long ballot, final long dot)
        {
            checksum += ballot + dot;
        }

        public void onCommit(
            final int from, final long ballot, final long dot, final long timestamp, final DirectBuffer commands,
            final int commandsOffset, final int commandsLength)
        {
            checksum += ballot + dot + timestamp + commands.getLong(commandsOffset) + commandsLength;
        }

        public void onRecover(
            final int from, final long ballot, final long dot, final DirectBuffer commands, final int commandsOffset,
            final int commandsLength)
        {
            checksum += ballot + dot + commands.getLong(commandsOffset) + commandsLength;
        }

        public void onRecoverAck(
            final int from, final long ballot, final long dot, final byte status, final long acceptedBallot,
            final long timestamp, final long proposalBallot, final long proposal, final long fastQuorum,
            final DirectBuffer commands, final int commandsOffset, final int commandsLength)
        {
            checksum += ballot + dot + status + acceptedBallot + timestamp + proposalBallot + proposal + fastQuorum +
                commands.getLong(commandsOffset) + commandsLength;
        }

        public void onNack(final int from, final long ballot, final long dot, final long promisedBallot)
        {
            checksum += ballot + dot + promisedBallot;
        }

        public void onProgress(final int from, final int origin, final long upTo)
        {
            checksum += origin + upTo;
        }

        public void onPromisedKey(final int from, final long key, final long clockUpTo)
        {
            checksum += key + clockUpTo;
        }

        public void onPromisedAttached(final int from, final long dot, final long fromValue)
        {
            checksum += dot + fromValue;
        }

        public void onPromisedKeyEnd(final int from, final long key)
        {
            checksum += key;
        }

        public void onUnexpected(final int from, final int templateId)
        {
            unexpected++;
        }
    }
}
