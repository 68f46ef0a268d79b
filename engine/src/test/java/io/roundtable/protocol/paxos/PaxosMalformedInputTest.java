package io.roundtable.protocol.paxos;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static io.roundtable.protocol.paxos.PaxosTestCluster.ACCEPT;
import static io.roundtable.protocol.paxos.PaxosTestCluster.PROMISE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Garbage, truncated and bit-flipped messages are counted and dropped; the cluster keeps working afterwards. */
final class PaxosMalformedInputTest
{
    @Test
    void malformedMessagesAreCountedAndDropped()
    {
        final PaxosTestCluster cluster = new PaxosTestCluster(3);
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 2000; i++)
        {
            final byte[] junk = new byte[random.nextInt(64)];
            random.nextBytes(junk);
            cluster.paxos(1).onMessage(0, new UnsafeBuffer(junk), 0, junk.length);
        }
        assertTrue(cluster.paxos(1).counters().malformedDropped > 0);

        // a real Accept, truncated at every length: never thrown, never half-applied
        cluster.submit(0, 1);
        final PaxosTestCluster.Message accept = cluster.queue.stream()
            .filter(m -> m.templateId == ACCEPT && m.to == 2).findFirst().orElseThrow();
        final long before = cluster.paxos(2).counters().malformedDropped;
        for (int length = 0; length < accept.bytes.length; length++)
        {
            cluster.paxos(2).onMessage(0, new UnsafeBuffer(accept.bytes), 0, length);
        }
        assertTrue(cluster.paxos(2).counters().malformedDropped > before);
        assertEquals(0, cluster.paxos(2).positionCount(), "no truncated Accept was applied");

        // a Promise with a corrupt status byte is dropped whole
        cluster.deliverAll();
        cluster.submit(0, 5); // position 2, accepted by replica 1 only: its Promise will report it
        cluster.deliverWhile(m -> m.templateId == ACCEPT && m.to == 1);
        cluster.queue.clear();
        cluster.paxos(2).startElection();
        cluster.deliverWhile(m -> m.templateId != PROMISE);
        final PaxosTestCluster.Message promise = cluster.queue.stream()
            .filter(m -> m.templateId == PROMISE && m.from == 1).findFirst().orElseThrow();
        final byte[] corrupt = promise.bytes.clone();
        // header 8, ballot 8, chosenUpTo 8, group header 4, slot 8, acceptedBallot 8, then the status byte
        corrupt[8 + 8 + 8 + 4 + 8 + 8] = 9;
        final long dropped = cluster.paxos(2).counters().malformedDropped;
        cluster.paxos(2).onMessage(promise.from, new UnsafeBuffer(corrupt), 0, corrupt.length);
        assertEquals(dropped + 1, cluster.paxos(2).counters().malformedDropped);

        cluster.deliverAll();
        assertTrue(cluster.paxos(2).isLeading());
        cluster.submit(1, 2);
        cluster.deliverAll();
        for (int replica = 0; replica < 3; replica++)
        {
            assertEquals(3, cluster.node(replica).executed.size(), "replica " + replica);
            assertEquals(1, cluster.node(replica).commandCountAt(2), "the reported value, not a no-op");
        }
    }
}
