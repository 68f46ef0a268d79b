package io.roundtable.transport;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.roundtable.command.CommandBatchWriter;
import io.roundtable.driver.MediaDriverPresets;
import io.roundtable.driver.StreamIds;
import io.roundtable.execution.GraphExecutor;
import io.roundtable.protocol.JournalSink;
import io.roundtable.protocol.epaxos.Epaxos;
import io.roundtable.protocol.epaxos.EpaxosConfig;
import org.agrona.CloseHelper;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three EPaxos replicas exchanging their real SBE messages over Aeron UDP on loopback, through one embedded media
 * driver: every command commits and executes at every replica, conflicting ones in the same order.
 */
class PeerTransportTest
{
    private static final int REPLICAS = 3;
    private static final int COMMANDS = 300;

    private MediaDriver driver;
    private Aeron aeron;
    private final List<PeerTransport> transports = new ArrayList<>();

    @AfterEach
    void close()
    {
        CloseHelper.closeAll(transports);
        CloseHelper.closeAll(aeron, driver);
    }

    @Test
    void sessionIdsCarryTheSenderWhateverTheIncarnation()
    {
        for (int replica = 0; replica < PeerTransport.MAX_PEERS; replica++)
        {
            for (final int incarnation : new int[] {0, 1, 0x7FFF, 0xFFFF, -1, Integer.MIN_VALUE})
            {
                final int sessionId = PeerTransport.sessionId(replica, incarnation);
                assertEquals(replica, PeerTransport.senderOf(sessionId), "replica " + replica + ", " + incarnation);
            }
        }
        assertNotEquals(PeerTransport.sessionId(2, 1), PeerTransport.sessionId(2, 2), "incarnations differ");
        assertEquals(-1, PeerTransport.senderOf(0), "not a peer session id");
        assertEquals(-1, PeerTransport.senderOf(0x12345678), "not a peer session id");
    }

    @Test
    void threeReplicasCommitAndExecuteEveryCommandOverUdp() throws IOException
    {
        driver = MediaDriver.launchEmbedded(MediaDriverPresets.shared().build());
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        final String[] endpoints = new String[REPLICAS];
        for (int i = 0; i < REPLICAS; i++)
        {
            endpoints[i] = "127.0.0.1:" + freeUdpPortHint();
        }

        final Epaxos[] replicas = new Epaxos[REPLICAS];
        final GraphExecutor[] executors = new GraphExecutor[REPLICAS];
        final List<List<Long>> executed = new ArrayList<>();
        final JournalSink noJournal = (buffer, offset, length) -> { };
        for (int i = 0; i < REPLICAS; i++)
        {
            final PeerTransport transport = new PeerTransport(aeron, i, endpoints, StreamIds.PEER_PROTOCOL);
            transports.add(transport);
            final List<Long> order = new ArrayList<>();
            executed.add(order);
            final int id = i;
            executors[i] = new GraphExecutor(REPLICAS, 1024, dot ->
            {
                order.add(dot);
                replicas[id].onExecuted(dot);
            });
            replicas[i] = new Epaxos(new EpaxosConfig().replicaId(i).replicaCount(REPLICAS).conclude(),
                transport, noJournal, executors[i]::commit);
            transport.deliverTo(replicas[i]);
        }

        final long connectDeadline = System.nanoTime() + 10_000_000_000L;
        while (!transports.stream().allMatch(PeerTransport::allPeersConnected))
        {
            assertTrue(System.nanoTime() < connectDeadline, "peers connect over loopback UDP");
            Thread.yield();
        }

        final CommandBatchWriter writer = new CommandBatchWriter();
        final ExpandableArrayBuffer batch = new ExpandableArrayBuffer(128);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
        final long[] keys = new long[1];
        final long deadline = System.nanoTime() + 30_000_000_000L;
        int submitted = 0;
        while (executed.stream().anyMatch(order -> order.size() < COMMANDS))
        {
            assertTrue(System.nanoTime() < deadline, "all commands execute everywhere in time: " +
                executed.stream().map(List::size).toList());
            if (submitted < COMMANDS)
            {
                keys[0] = submitted % 4 == 0 ? 7 : 1000 + submitted; // a quarter conflict on key 7
                final int length = writer.begin(batch, 0, 1).add(1, submitted, true, keys, 1, payload, 0, 8).length();
                replicas[submitted % REPLICAS].submit(batch, 0, length);
                submitted++;
            }
            for (int i = 0; i < REPLICAS; i++)
            {
                transports.get(i).retryHeldBack();
                transports.get(i).poll(64);
                replicas[i].onTick(System.nanoTime());
                while (executors[i].execute(1024) > 0)
                {
                    // drain
                }
            }
        }

        for (int i = 1; i < REPLICAS; i++)
        {
            assertEquals(COMMANDS, executed.get(i).size());
            assertEquals(conflicting(executed.get(0)), conflicting(executed.get(i)),
                "replica " + i + " executes the conflicting commands in replica 0's order");
        }
        assertEquals(0, replicas[0].counters().malformedDropped + replicas[1].counters().malformedDropped +
            replicas[2].counters().malformedDropped);
    }

    /** Commands on the shared key are every fourth one submitted: instance numbers tell them apart per origin. */
    private static List<Long> conflicting(final List<Long> order)
    {
        final List<Long> onSharedKey = new ArrayList<>();
        for (final long dot : order)
        {
            final long instance = io.roundtable.protocol.Dot.instance(dot);
            final int origin = io.roundtable.protocol.Dot.replica(dot);
            final long submittedIndex = (instance - 1) * REPLICAS + origin;
            if (submittedIndex % 4 == 0)
            {
                onSharedKey.add(dot);
            }
        }
        return onSharedKey;
    }

    /** A port that was free a moment ago (UDP ports are bound by the driver, not here). */
    private static int freeUdpPortHint() throws IOException
    {
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
