package io.roundtable.sim;

import io.roundtable.command.CommandBatchWriter;
import io.roundtable.protocol.epaxos.Epaxos;
import io.roundtable.statemachine.KeyValueCommands;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Executed instances are forgotten once every replica has executed them, so a long run keeps the protocol's tables
 * flat: after warm-up neither the instance table nor the conflict index grows, over a million commands.
 */
class GarbageCollectionTest
{
    private static final int COMMANDS = 1_000_000;
    private static final int TICK_EVERY = 1_000;

    @Test
    void aMillionCommandsKeepTheInstanceTablesAndConflictIndexFlat()
    {
        final int replicas = 3;
        final DirectCluster cluster = new DirectCluster(replicas);
        final KeyValueCommands kv = new KeyValueCommands();
        final CommandBatchWriter writer = new CommandBatchWriter();
        final ExpandableArrayBuffer payload = new ExpandableArrayBuffer(64);
        final ExpandableArrayBuffer batch = new ExpandableArrayBuffer(128);
        final long[] keys = new long[1];
        final byte[] value = new byte[8];

        int capacityAfterWarmUp = 0;
        int maxInstancesAfterWarmUp = 0;
        int maxKeysAfterWarmUp = 0;
        for (int i = 1; i <= COMMANDS; i++)
        {
            final int coordinator = i % replicas;
            // 2% write a shared hot key, the rest a key of their own that is never reused
            keys[0] = i % 50 == 0 ? 0 : 1_000_000L + i;
            value[0] = (byte)i;
            final int payloadLength = kv.put(payload, 0, keys[0], value);
            final int length = writer.begin(batch, 0, 1).add(coordinator, i, true, keys, 1, payload, 0, payloadLength)
                .length();
            cluster.submit(coordinator, batch, length);
            cluster.deliverAll();
            if (i % TICK_EVERY == 0)
            {
                cluster.tick();
                cluster.tick(); // one round to publish watermarks, one to act on everyone's
                if (i == COMMANDS / 10)
                {
                    capacityAfterWarmUp = cluster.replica(0).instanceCapacity();
                }
                else if (i > COMMANDS / 10)
                {
                    for (int r = 0; r < replicas; r++)
                    {
                        final Epaxos replica = cluster.replica(r);
                        maxInstancesAfterWarmUp = Math.max(maxInstancesAfterWarmUp, replica.instanceCount());
                        maxKeysAfterWarmUp = Math.max(maxKeysAfterWarmUp, replica.conflictKeyCount());
                    }
                }
            }
        }

        assertEquals((long)COMMANDS * replicas, cluster.executedCommands(), "every replica executed every command");
        for (int r = 0; r < replicas; r++)
        {
            assertEquals(capacityAfterWarmUp, cluster.replica(r).instanceCapacity(),
                "replica " + r + "'s instance table stopped growing after warm-up");
        }
        assertTrue(maxInstancesAfterWarmUp <= 4 * TICK_EVERY,
            "at most a few ticks' worth of instances are held: " + maxInstancesAfterWarmUp);
        assertTrue(maxKeysAfterWarmUp <= 4 * TICK_EVERY,
            "the conflict index forgets keys with no live command: " + maxKeysAfterWarmUp);
    }
}
