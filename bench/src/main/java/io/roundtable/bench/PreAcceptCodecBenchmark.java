package io.roundtable.bench;

import io.roundtable.codecs.BooleanType;
import io.roundtable.codecs.CommandBatchDecoder;
import io.roundtable.codecs.CommandBatchEncoder;
import io.roundtable.codecs.MessageHeaderDecoder;
import io.roundtable.codecs.MessageHeaderEncoder;
import io.roundtable.codecs.PreAcceptDecoder;
import io.roundtable.codecs.PreAcceptEncoder;
import io.roundtable.protocol.Ballot;
import io.roundtable.protocol.Dot;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * SBE cost of the hottest peer message: a PreAccept with 3 deps carrying a CommandBatch of one command (2 keys, a
 * 16-byte payload), encoded the way a coordinator does (batch into a scratch buffer, then copied as the opaque
 * {@code commands} var-data) and decoded the way an acceptor does (every field, every dep, the nested batch read
 * through a view without copying, the payload copied out). Everything is preallocated in {@link #setup()}, so the
 * {@code gc.alloc.rate.norm} of {@code -prof gc} must read ~0 B/op: any allocation here is a bug in the codec path.
 * <p>
 * Run: {@code java -jar bench/target/benchmarks.jar PreAcceptCodec -f 1 -wi 3 -i 3 -prof gc}
 * <p>
 * Not final: JMH generates a subclass of a class that is its own {@code @State}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED" })
public class PreAcceptCodecBenchmark
{
    private static final int BUFFER_LENGTH = 1024;
    private static final int PAYLOAD_LENGTH = 16;

    /** Aeron hands fragments to handlers at 32-byte aligned offsets after the data frame header; mimic one. */
    private static final int MESSAGE_OFFSET = 32;

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final PreAcceptEncoder preAcceptEncoder = new PreAcceptEncoder();
    private final PreAcceptDecoder preAcceptDecoder = new PreAcceptDecoder();
    private final CommandBatchEncoder batchEncoder = new CommandBatchEncoder();
    private final CommandBatchDecoder batchDecoder = new CommandBatchDecoder();

    private final long[] deps = new long[3];
    private final long[] keys = new long[2];
    private UnsafeBuffer messageBuffer;
    private UnsafeBuffer batchBuffer;
    private UnsafeBuffer payload;
    private UnsafeBuffer payloadCopy;
    private UnsafeBuffer commandsView;
    private long ballot;
    private long dot;

    @Setup
    public void setup()
    {
        messageBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(BUFFER_LENGTH));
        batchBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(BUFFER_LENGTH));
        payload = new UnsafeBuffer(new byte[PAYLOAD_LENGTH]);
        for (int i = 0; i < PAYLOAD_LENGTH; i++)
        {
            payload.putByte(i, (byte)(0x11 * i));
        }
        payloadCopy = new UnsafeBuffer(new byte[PAYLOAD_LENGTH]);
        commandsView = new UnsafeBuffer();

        ballot = Ballot.initial(0, 1);
        dot = Dot.of(1, 1_000_000L);
        deps[0] = Dot.of(0, 999_998L);
        deps[1] = Dot.of(1, 999_999L);
        deps[2] = Dot.of(2, 1_000_001L);
        keys[0] = 42L;
        keys[1] = 43L;

        encode();
    }

    /** Encode then decode: the round trip one PreAccept costs a coordinator and an acceptor together. */
    @Benchmark
    public void encodeAndDecode(final Blackhole bh)
    {
        final int length = encode();
        bh.consume(length);
        decode(bh);
    }

    /** Encode alone, to split the round trip. */
    @Benchmark
    public int encodeOnly()
    {
        return encode();
    }

    /** Decode alone, of the message {@link #setup()} encoded once. */
    @Benchmark
    public void decodeOnly(final Blackhole bh)
    {
        decode(bh);
    }

    private int encode()
    {
        batchEncoder.wrapAndApplyHeader(batchBuffer, 0, headerEncoder);
        final CommandBatchEncoder.CommandsEncoder commands = batchEncoder.commandsCount(1).next()
            .clientId(7L)
            .requestNumber(1_234L)
            .write(BooleanType.TRUE);
        final CommandBatchEncoder.CommandsEncoder.KeysEncoder keysEncoder = commands.keysCount(keys.length);
        for (final long key : keys)
        {
            keysEncoder.next().key(key);
        }
        commands.putPayload(payload, 0, PAYLOAD_LENGTH);
        final int batchLength = MessageHeaderEncoder.ENCODED_LENGTH + batchEncoder.encodedLength();

        preAcceptEncoder.wrapAndApplyHeader(messageBuffer, MESSAGE_OFFSET, headerEncoder)
            .ballot(ballot)
            .dot(dot)
            .seq(17);
        final PreAcceptEncoder.DepsEncoder depsEncoder = preAcceptEncoder.depsCount(deps.length);
        for (final long dep : deps)
        {
            depsEncoder.next().dot(dep);
        }
        preAcceptEncoder.putCommands(batchBuffer, 0, batchLength);

        return MessageHeaderEncoder.ENCODED_LENGTH + preAcceptEncoder.encodedLength();
    }

    private void decode(final Blackhole bh)
    {
        headerDecoder.wrap(messageBuffer, MESSAGE_OFFSET);
        if (headerDecoder.schemaId() != PreAcceptDecoder.SCHEMA_ID ||
            headerDecoder.templateId() != PreAcceptDecoder.TEMPLATE_ID)
        {
            throw new IllegalStateException("not a PreAccept");
        }
        preAcceptDecoder.wrap(
            messageBuffer,
            MESSAGE_OFFSET + MessageHeaderDecoder.ENCODED_LENGTH,
            headerDecoder.blockLength(),
            headerDecoder.version());

        bh.consume(preAcceptDecoder.ballot());
        bh.consume(preAcceptDecoder.dot());
        bh.consume(preAcceptDecoder.seq());
        final PreAcceptDecoder.DepsDecoder depsDecoder = preAcceptDecoder.deps();
        while (depsDecoder.hasNext())
        {
            bh.consume(depsDecoder.next().dot());
        }

        // The acceptor computes conflicts from the keys, so it decodes the batch in place; only the payload that
        // goes to the state machine is copied.
        preAcceptDecoder.wrapCommands(commandsView);
        headerDecoder.wrap(commandsView, 0);
        batchDecoder.wrap(
            commandsView, MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(), headerDecoder.version());
        final CommandBatchDecoder.CommandsDecoder commands = batchDecoder.commands();
        while (commands.hasNext())
        {
            commands.next();
            bh.consume(commands.clientId());
            bh.consume(commands.requestNumber());
            bh.consume(commands.write());
            final CommandBatchDecoder.CommandsDecoder.KeysDecoder keysDecoder = commands.keys();
            while (keysDecoder.hasNext())
            {
                bh.consume(keysDecoder.next().key());
            }
            bh.consume(commands.getPayload(payloadCopy, 0, payloadCopy.capacity()));
        }
        bh.consume(payloadCopy.getLong(0));
        bh.consume(preAcceptDecoder.encodedLength());
    }
}
