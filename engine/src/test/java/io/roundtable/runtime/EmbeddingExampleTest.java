package io.roundtable.runtime;

import io.roundtable.driver.LoopbackPorts;
import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.roundtable.client.ClientContext;
import io.roundtable.client.RoundtableClient;
import io.roundtable.config.ClusterTopology;
import io.roundtable.config.ProtocolName;
import io.roundtable.driver.MediaDriverPresets;
import io.roundtable.journal.ChronicleJournal;
import io.roundtable.statemachine.StateMachine;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's embedding example, compiled and run: three services each embed a replica with their own state
 * machine, and a client's increments come back as the running total. The test also checks that the README shows
 * exactly this code.
 */
class EmbeddingExampleTest
{
    // README-EXAMPLE-BEGIN
    /** A replicated counter: clients send a number and declare key 0, so every replica adds in the same order. */
    static final class Counter implements StateMachine
    {
        private long total;

        public int apply(long clientId, long requestNumber, DirectBuffer payload, int offset, int length,
            MutableDirectBuffer result, int resultOffset)
        {
            total += payload.getLong(offset);
            result.putLong(resultOffset, total);
            return Long.BYTES;
        }
    }

    static AgentRunner startReplica(ClusterTopology topology, int id, Aeron aeron)
    {
        ReplicaAgent replica = new ReplicaAgent(new ReplicaContext()
            .aeron(aeron)                                   // a client of your media driver
            .replicaId(id)
            .peerEndpoints(topology.peerEndpoints())        // e.g. from TopologyFile.parse(path)
            .clientEndpoint(topology.clientEndpoint(id))
            .stateMachine(new Counter())
            .journal(new ChronicleJournal(topology.journalDirectory(id), ChronicleJournal.FlushPolicy.NONE)));
        AgentRunner runner = new AgentRunner(new BackoffIdleStrategy(), Throwable::printStackTrace, null, replica);
        AgentRunner.startOnThread(runner);                 // or an AgentInvoker, on a thread of yours
        return runner;
    }
    // README-EXAMPLE-END

    @TempDir
    Path journals;

    @Test
    void embeddedReplicasServeTheirOwnStateMachine()
    {
        final ClusterTopology topology = ClusterTopology.localhost(
            ProtocolName.EPAXOS, 3, LoopbackPorts.baseOfFreeRun(6), journals);
        final MediaDriver driver = MediaDriver.launchEmbedded(MediaDriverPresets.shared().build());
        final Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        final AgentRunner[] runners = new AgentRunner[3];
        try
        {
            for (int id = 0; id < 3; id++)
            {
                runners[id] = startReplica(topology, id, aeron);
            }
            try (RoundtableClient client = new RoundtableClient(new ClientContext()
                .aeron(aeron).replicaEndpoints(topology.clientEndpoints()).preferredReplica(1)))
            {
                final UnsafeBuffer number = new UnsafeBuffer(new byte[Long.BYTES]);
                final UnsafeBuffer total = new UnsafeBuffer(new byte[Long.BYTES]);
                final long[] key = {0};
                long expected = 0;
                for (long add = 1; add <= 20; add++)
                {
                    number.putLong(0, add);
                    final int length = client.execute(true, key, 1, number, 0, Long.BYTES, total,
                        TimeUnit.SECONDS.toNanos(30), new BackoffIdleStrategy());
                    expected += add;
                    assertEquals(Long.BYTES, length);
                    assertEquals(expected, total.getLong(0), "running total after adding " + add);
                }
            }
        }
        finally
        {
            CloseHelper.closeAll(runners);
            CloseHelper.closeAll(aeron, driver);
        }
    }

    @Test
    void replicasAndClientCanShareTheCallersThreadThroughAgentInvokers()
    {
        final ClusterTopology topology = ClusterTopology.localhost(
            ProtocolName.EPAXOS, 3, LoopbackPorts.baseOfFreeRun(6), journals);
        final MediaDriver driver = MediaDriver.launchEmbedded(MediaDriverPresets.shared().build());
        final Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        final AgentInvoker[] invokers = new AgentInvoker[3];
        try
        {
            for (int id = 0; id < 3; id++)
            {
                invokers[id] = new AgentInvoker(Throwable::printStackTrace, null, new ReplicaAgent(new ReplicaContext()
                    .aeron(aeron)
                    .replicaId(id)
                    .peerEndpoints(topology.peerEndpoints())
                    .clientEndpoint(topology.clientEndpoint(id))
                    .stateMachine(new Counter())
                    .journal(new ChronicleJournal(topology.journalDirectory(id), ChronicleJournal.FlushPolicy.NONE))));
                invokers[id].start();
            }
            final UnsafeBuffer number = new UnsafeBuffer(new byte[Long.BYTES]);
            final long[] total = {0};
            final int[] answers = {0};
            try (RoundtableClient client = new RoundtableClient(new ClientContext()
                .aeron(aeron).replicaEndpoints(topology.clientEndpoints()).preferredReplica(2)
                .listener((correlationId, result, offset, length) ->
                {
                    total[0] = result.getLong(offset);
                    answers[0]++;
                })))
            {
                final long[] key = {0};
                final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                int sent = 0;
                while (answers[0] < 10 && System.nanoTime() < deadlineNs)
                {
                    // one thread runs every replica and the client: the embedded, single-threaded mode
                    for (final AgentInvoker invoker : invokers)
                    {
                        invoker.invoke();
                    }
                    client.poll();
                    if (sent == answers[0] && client.isConnected())
                    {
                        number.putLong(0, ++sent);
                        client.offer(true, key, 1, number, 0, Long.BYTES);
                    }
                }
            }
            assertEquals(10, answers[0], "answers within 30 s");
            assertEquals(55, total[0], "1 + 2 + ... + 10");
        }
        finally
        {
            CloseHelper.closeAll(invokers);
            CloseHelper.closeAll(aeron, driver);
        }
    }

    @Test
    void readmeShowsThisExample() throws IOException
    {
        final String source = Files.readString(Path.of("src/test/java/io/roundtable/runtime/EmbeddingExampleTest.java"));
        final String example = source.substring(
            source.indexOf("// README-EXAMPLE-BEGIN") + "// README-EXAMPLE-BEGIN".length(),
            source.indexOf("    // README-EXAMPLE-END"));
        final String readme = Files.readString(Path.of("../README.md"));
        assertTrue(normalised(readme).contains(normalised(example)),
            "README.md must show the embedding example exactly as EmbeddingExampleTest compiles it:\n" + example);
    }

    private static String normalised(final String text)
    {
        return text.lines().map(String::strip).filter((line) -> !line.isEmpty()).collect(Collectors.joining("\n"));
    }
}
