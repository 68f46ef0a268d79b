package io.roundtable.protocol.epaxos;

import io.roundtable.protocol.dependency.DependencyInstances;
import io.roundtable.codecs.PreAcceptDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EpaxosMalformedInputTest
{
    @Test
    void garbageTruncatedAndUnknownMessagesAreCountedAndDroppedWithoutThrowing()
    {
        final EpaxosTestCluster cluster = new EpaxosTestCluster(3);
        final Epaxos replica = cluster.node(1).epaxos;

        replica.onMessage(0, new UnsafeBuffer(new byte[3]), 0, 3);
        final byte[] unknownTemplate = new byte[32];
        new UnsafeBuffer(unknownTemplate).putShort(2, (short)999);
        new UnsafeBuffer(unknownTemplate).putShort(4, (short)PreAcceptDecoder.SCHEMA_ID);
        replica.onMessage(0, new UnsafeBuffer(unknownTemplate), 0, unknownTemplate.length);

        cluster.submit(0, 5, true);
        final EpaxosTestCluster.Message preAccept = cluster.queue.get(0);
        final byte[] truncated = java.util.Arrays.copyOf(preAccept.bytes, preAccept.bytes.length - 4);
        replica.onMessage(0, new UnsafeBuffer(truncated), 0, truncated.length);
        assertEquals(3, replica.counters().malformedDropped);

        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++)
        {
            final byte[] noise = preAccept.bytes.clone();
            noise[random.nextInt(noise.length)] = (byte)random.nextInt();
            noise[random.nextInt(noise.length)] = (byte)random.nextInt();
            replica.onMessage(0, new UnsafeBuffer(noise), 0, noise.length - random.nextInt(noise.length));
        }

        cluster.queue.clear();
        final long dot = cluster.submit(0, 6, true);
        cluster.deliverAll();
        assertEquals(DependencyInstances.EXECUTED, cluster.node(1).epaxos.statusOf(dot),
            "the replica still works after 10,000 corrupted messages");
    }
}
