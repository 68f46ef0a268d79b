package io.roundtable.transport;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.roundtable.driver.MediaDriverPresets;
import io.roundtable.driver.StreamIds;
import io.roundtable.execution.GraphExecutor;
import io.roundtable.protocol.JournalSink;
import io.roundtable.protocol.epaxos.Epaxos;
import io.roundtable.protocol.epaxos.EpaxosConfig;
import org.agrona.CloseHelper;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the transport does with messages that cannot leave at once, on the real Aeron path: the WAN emulation stage
 * (a message waits its peer's delay on the replica's clock, here a manual one, in send order, while messages to an
 * undelayed peer leave at once), and a message longer than Aeron takes (dropped and counted, the link carries on).
 */
class PeerTransportQueuesTest
{
    private static final long DELAY_NS = TimeUnit.MILLISECONDS.toNanos(50);

    private final CachedNanoClock clock = new CachedNanoClock();
    private final List<PeerTransport> transports = new ArrayList<>();
    private final Epaxos[] receivers = new Epaxos[3];
    private MediaDriver driver;
    private Aeron aeron;

    @AfterEach
    void close()
    {
        CloseHelper.closeAll(transports);
        CloseHelper.closeAll(aeron, driver);
    }

    @Test
    void messagesWaitTheirPeersDelayInSendOrder()
    {
        start(new long[] {0, DELAY_NS, 0});
        final PeerTransport sender = transports.get(0);
        clock.update(1_000_000_000L);

        send(sender, 1);
        send(sender, 2); // no delay to replica 2
        clock.advance(DELAY_NS / 2);
        send(sender, 1);

        pumpFor(TimeUnit.MILLISECONDS.toNanos(300));
        assertEquals(0, arrivedAt(1), "nothing to replica 1 before its delay has passed");
        assertEquals(1, arrivedAt(2), "replica 2 is not delayed");

        clock.advance(DELAY_NS / 2);
        pumpUntil(1, 1);
        pumpFor(TimeUnit.MILLISECONDS.toNanos(100));
        assertEquals(1, arrivedAt(1), "only the first message is due");

        clock.advance(DELAY_NS / 2);
        pumpUntil(1, 2);
        assertEquals(0, sender.droppedPeerUnreachable());
    }

    @Test
    void aMessageLongerThanAeronTakesIsDroppedAndCountedAndTheLinkCarriesOn()
    {
        start(new long[] {0, 0, 0});
        final PeerTransport sender = transports.get(0);
        final int tooLong = 2 * 1024 * 1024; // beyond any term length / 8 a preset uses
        sender.buffer().setMemory(0, tooLong, (byte)0x7F);
        sender.send(1, tooLong);
        sender.retryHeldBack();
        send(sender, 1);

        pumpUntil(1, 1);
        assertEquals(1, sender.droppedOversize());
        pumpFor(TimeUnit.MILLISECONDS.toNanos(100));
        assertEquals(1, arrivedAt(1), "only the message that fits arrives");
    }

    @Test
    void delaysMustFitTheCluster()
    {
        assertThrows(IllegalArgumentException.class, () -> new EmulatedDelays(new long[] {0, -1, 0}, clock));
        final MediaDriver.Context context = MediaDriverPresets.shared().build();
        driver = MediaDriver.launchEmbedded(context);
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        final EmulatedDelays forTwo = new EmulatedDelays(new long[] {0, DELAY_NS}, clock);
        assertThrows(IllegalArgumentException.class, () -> new PeerTransport(
            aeron, 0, new String[] {"127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3"}, StreamIds.PEER_PROTOCOL, forTwo));
    }

    private void start(final long[] delaysFromReplicaZero)
    {
        driver = MediaDriver.launchEmbedded(MediaDriverPresets.shared().build());
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        final int base = io.roundtable.driver.LoopbackPorts.baseOfFreeRun(3);
        final String[] endpoints = {"127.0.0.1:" + base, "127.0.0.1:" + (base + 1), "127.0.0.1:" + (base + 2)};
        final JournalSink noJournal = (buffer, offset, length) -> { };
        for (int i = 0; i < 3; i++)
        {
            final PeerTransport transport = new PeerTransport(aeron, i, endpoints, StreamIds.PEER_PROTOCOL,
                0 == i ? new EmulatedDelays(delaysFromReplicaZero, clock) : EmulatedDelays.NONE);
            transports.add(transport);
            receivers[i] = new Epaxos(new EpaxosConfig().replicaId(i).replicaCount(3).conclude(),
                transport, noJournal, new GraphExecutor(3, 64, (dot) -> { })::commit);
            transport.deliverTo(receivers[i]);
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!transports.stream().allMatch(PeerTransport::allPeersConnected))
        {
            assertTrue(System.nanoTime() < deadline, "peers connect over loopback UDP");
            Thread.yield();
        }
    }

    /** An arbitrary 16-byte message: the receiving core counts it in and drops it as malformed. */
    private static void send(final PeerTransport transport, final int to)
    {
        transport.buffer().setMemory(0, 16, (byte)0x7F);
        transport.send(to, 16);
    }

    private long arrivedAt(final int replica)
    {
        return receivers[replica].counters().messagesIn;
    }

    private void pumpFor(final long durationNs)
    {
        final long end = System.nanoTime() + durationNs;
        while (System.nanoTime() - end < 0)
        {
            pumpOnce();
        }
    }

    private void pumpUntil(final int replica, final long arrivals)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (arrivedAt(replica) < arrivals)
        {
            assertTrue(System.nanoTime() < deadline, "replica " + replica + " receives " + arrivals);
            pumpOnce();
        }
    }

    private void pumpOnce()
    {
        for (final PeerTransport transport : transports)
        {
            transport.retryHeldBack();
            transport.poll(16);
        }
        Thread.yield();
    }
}
