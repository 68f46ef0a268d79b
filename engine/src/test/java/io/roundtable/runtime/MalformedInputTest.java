package io.roundtable.runtime;

import io.roundtable.driver.LoopbackPorts;
import io.aeron.Aeron;
import io.roundtable.config.ClusterTopology;
import io.roundtable.config.ProtocolName;
import io.roundtable.statemachine.KeyValueStateMachine;
import io.roundtable.workload.KeyValueWorkload;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.roundtable.runtime.FuzzChannels.AS_NO_PEER;
import static io.roundtable.runtime.FuzzChannels.AS_PEER;
import static io.roundtable.runtime.FuzzChannels.CLIENT_PORT;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A live replica of each protocol under 100,000 Aeron messages that are each malformed or unexpected, at its peer
 * port (as a stopped peer whose identity is taken over, so they reach the protocol's decoder, and as a sender that is
 * no peer) and at its client port, plus 50,000 UDP datagrams of noise that Aeron's receiver drops itself. The peer
 * messages are the protocol's own, each broken in one way (see {@link MalformedMessages}, out-of-range dots, ballots,
 * replica ids and log positions included), and other protocols' messages, which it must not take for its own. The
 * replica counts every one of the Aeron messages as malformed, exactly once, no exception escapes its duty cycle,
 * and the cluster commits before and after. Then well-formed requests whose key-value command is undefined: not
 * malformed as messages, they are executed (as rejected) without an exception in either serving replica or a stall.
 */
class MalformedInputTest
{
    private static final int REPLICAS = 3;
    private static final int IMPERSONATED = 2;
    private static final int MESSAGES = 100_000;
    private static final int DATAGRAMS = 50_000;
    private static final int UNDEFINED_OPERATIONS = 1_000;
    private static final int COMMANDS = 5_000;

    private static final long SEED = Long.getLong("roundtable.fuzz.seed", 7_340_033L);
    private static final int NOISE = 0;
    private static final int BROKEN_PEER_MESSAGE = 1;
    private static final int BROKEN_CLIENT_MESSAGE = 2;
    private static final int CLIENT_MESSAGE_AT_PEER_PORT = 3;
    private static final int PEER_MESSAGE_AT_CLIENT_PORT = 4;
    private static final int PEER_MESSAGE_FROM_NO_PEER = 5;
    private static final int OTHER_PROTOCOLS_MESSAGE = 6;
    private static final String[] KINDS = {"noise", "broken peer message", "broken client message",
        "client message at the peer port", "peer message at the client port", "peer message from no peer",
        "another protocol's peer message"};

    @TempDir
    Path journals;

    @ParameterizedTest
    @EnumSource(ProtocolName.class)
    void everyMalformedMessageIsCountedAndDroppedOnceAndTheReplicaKeepsServing(final ProtocolName protocol)
        throws IOException
    {
        final long startNs = System.nanoTime();
        final ClusterTopology topology = ClusterTopology.localhost(
            protocol, REPLICAS, LoopbackPorts.baseOfFreeRun(2 * REPLICAS), journals);
        final KeyValueStateMachine[] stores = new KeyValueStateMachine[REPLICAS];
        try (LocalCluster cluster = LocalCluster.launch(topology, (id) -> stores[id] = new KeyValueStateMachine()))
        {
            cluster.awaitConnected(Duration.ofSeconds(20));
            cluster.stop(IMPERSONATED); // 0 and 1 are a majority still, and replica 2's session id is free to take
            final Aeron aeron = cluster.aeron();
            final String[] serving = {topology.clientEndpoint(0), topology.clientEndpoint(1)};
            try (FuzzChannels channels = new FuzzChannels(
                aeron, topology.peerEndpoint(0), topology.clientEndpoint(0), IMPERSONATED))
            {
                final int commands = COMMANDS;
                runWorkload(aeron, serving, 1, commands);
                log(startNs, "first " + commands + " commands answered");
                channels.awaitConnected(TimeUnit.SECONDS.toNanos(20)); // after replica 2's image at replica 0 is gone
                log(startNs, "fuzzing channels connected");

                final CountersReader counters = aeron.countersReader();
                final long before = malformedDropped(counters);
                final Random random = new Random(SEED);
                final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));
                final long[] kinds = new long[KINDS.length];
                final MalformedMessages malformed = fuzz(protocol, channels, random, buffer, kinds);
                final long sent = Arrays.stream(channels.sent).sum();
                log(startNs, "sent " + sent + " messages " + Arrays.toString(channels.sent) + " and " + DATAGRAMS +
                    " datagrams, seed " + SEED);
                final long counted = awaitMalformedDropped(counters, before + sent) - before;
                log(startNs, "replica 0 counted " + counted + " malformed (before: " + before + ")");
                for (int i = 0; i < KINDS.length; i++)
                {
                    System.out.printf("  %-34s %6d%n", KINDS[i], kinds[i]);
                }
                for (int i = 0; i < MalformedMessages.MUTATIONS.length; i++)
                {
                    System.out.printf("  mutation %-25s %6d%n", MalformedMessages.MUTATIONS[i], malformed.applied[i]);
                }
                assertEquals(MESSAGES, sent, "messages sent");
                assertEquals(sent, counted, "malformed messages counted by replica 0, of " +
                    Arrays.toString(channels.sent) + " sent to " + Arrays.toString(FuzzChannels.NAMES));

                final RandomClientMessages messages = new RandomClientMessages(random);
                for (int i = 0; i < UNDEFINED_OPERATIONS; i++)
                {
                    final long clientId = ClientIds.clientId(ClientIds.MAX_SESSION - 1 - i, 0);
                    channels.send(CLIENT_PORT, buffer, messages.requestWithUndefinedOperation(buffer, clientId));
                }
                runWorkload(aeron, serving, 2, commands);
                log(startNs, "second " + commands + " commands answered");
                assertEquals(before + sent, malformedDropped(counters), "well-formed requests are not malformed");
                assertEquals(0, cluster.node(0).errors(), "exceptions in replica 0's duty cycle");
                assertEquals(0, cluster.node(1).errors(), "exceptions in replica 1's duty cycle");
            }
            cluster.stop(0);
        }
        assertEquals(UNDEFINED_OPERATIONS, stores[0].malformedCommands(), "undefined commands replica 0 rejected");
    }

    private static MalformedMessages fuzz(
        final ProtocolName protocol, final FuzzChannels channels, final Random random, final UnsafeBuffer buffer,
        final long[] kinds) throws IOException
    {
        final PeerMessages peerMessages = PeerMessages.of(protocol, random);
        final PeerMessages[] otherProtocols = otherProtocols(peerMessages, random);
        final RandomClientMessages clientMessages = new RandomClientMessages(random);
        final MalformedMessages malformed = new MalformedMessages(random, REPLICAS);
        for (int i = 0; i < MESSAGES; i++)
        {
            // half at the peer port as replica 2, 15% as no peer, 35% at the client port
            final int pick = random.nextInt(100);
            final int channel = pick < 50 ? AS_PEER : pick < 65 ? AS_NO_PEER : CLIENT_PORT;
            final int kind = pick < 5 ? NOISE : pick < 35 ? BROKEN_PEER_MESSAGE : pick < 40 ? OTHER_PROTOCOLS_MESSAGE :
                pick < 45 ? BROKEN_CLIENT_MESSAGE :
                pick < 50 ? CLIENT_MESSAGE_AT_PEER_PORT : pick < 65 ? PEER_MESSAGE_FROM_NO_PEER : pick < 72 ? NOISE :
                pick < 90 ? BROKEN_CLIENT_MESSAGE : PEER_MESSAGE_AT_CLIENT_PORT;
            final int length;
            switch (kind)
            {
                case NOISE:
                    length = malformed.noise(buffer);
                    break;
                case BROKEN_PEER_MESSAGE:
                    length = malformed.mutate(peerMessages.layout(), buffer,
                        peerMessages.message(random.nextInt(peerMessages.types()), IMPERSONATED, buffer));
                    break;
                case OTHER_PROTOCOLS_MESSAGE:
                    length = otherProtocolsMessage(peerMessages, otherProtocols, random, buffer);
                    break;
                case BROKEN_CLIENT_MESSAGE:
                    length = malformed.mutate(clientMessages.layout, buffer,
                        clientMessages.message(random.nextInt(RandomClientMessages.TYPES), buffer));
                    break;
                case CLIENT_MESSAGE_AT_PEER_PORT:
                    length = clientMessages.message(random.nextInt(RandomClientMessages.TYPES), buffer);
                    break;
                default: // a well-formed peer message, at the client port or from a sender that is no peer
                    length = peerMessages.message(
                        random.nextInt(peerMessages.types()), random.nextInt(REPLICAS), buffer);
                    break;
            }
            channels.send(channel, buffer, length);
            kinds[kind]++;
            if ((i & 1) == 0 && i / 2 < DATAGRAMS)
            {
                channels.sendNoiseDatagram(random, (i & 2) == 0);
            }
        }
        return malformed;
    }

    /** The message families of the other protocols (EPaxos and Atlas share one). */
    private static PeerMessages[] otherProtocols(final PeerMessages own, final Random random)
    {
        return java.util.stream.Stream.of(ProtocolName.values())
            .map((protocol) -> PeerMessages.of(protocol, random))
            .filter((messages) -> messages.getClass() != own.getClass())
            .collect(java.util.stream.Collectors.toMap(Object::getClass, (messages) -> messages, (a, b) -> a))
            .values().toArray(new PeerMessages[0]);
    }

    /** A well-formed message of another protocol, as replica 2, of a type this protocol does not take (not Nack). */
    private static int otherProtocolsMessage(
        final PeerMessages own, final PeerMessages[] others, final Random random, final UnsafeBuffer buffer)
    {
        while (true)
        {
            final PeerMessages other = others[random.nextInt(others.length)];
            final int length = other.message(random.nextInt(other.types()), IMPERSONATED, buffer);
            if (!own.receives(buffer.getShort(2) & 0xFFFF))
            {
                return length;
            }
        }
    }

    private static long awaitMalformedDropped(final CountersReader counters, final long expected)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (malformedDropped(counters) < expected && System.nanoTime() - deadlineNs < 0)
        {
            FuzzChannels.sleep(1);
        }
        FuzzChannels.sleep(200); // anything counted twice, or late, shows up meanwhile
        return malformedDropped(counters);
    }

    private static long malformedDropped(final CountersReader counters)
    {
        return ReplicaCounters.read(counters, 0, ReplicaCounter.MALFORMED_DROPPED);
    }

    /**
     * Few conflicts and many clients: while replica 2 is down, replica 1's thrifty fast quorum includes it, so every
     * instance replica 1 leads waits for the phase timeout, and so would replica 0's commands that conflict with it.
     */
    private static void runWorkload(final Aeron aeron, final String[] endpoints, final long seed, final int commands)
    {
        final BackoffIdleStrategy idle = new BackoffIdleStrategy();
        try (KeyValueWorkload workload = new KeyValueWorkload(
            aeron, endpoints, 16, 0.05, 0.25, 8, seed, TimeUnit.SECONDS.toNanos(2), null))
        {
            workload.awaitConnected(TimeUnit.SECONDS.toNanos(20), idle);
            workload.run(commands, TimeUnit.SECONDS.toNanos(30), TimeUnit.SECONDS.toNanos(5), idle, null);
            assertEquals(commands, workload.completed(), "commands answered by replicas 0 and 1 (run " + seed + ")");
        }
    }

    private static void log(final long startNs, final String event)
    {
        System.out.printf("%6d ms: %s%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs), event);
    }
}
