package io.roundtable.statemachine;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A state machine restored from a snapshot behaves exactly like the one that took it: same answers to the same
 * commands afterwards, duplicates still recognised (including requests that were gaps), same final state.
 */
class SnapshotTest
{
    private final KeyValueCommands kv = new KeyValueCommands();

    @Test
    void restoredDeduplicatedKeyValueStoreContinuesIdentically()
    {
        for (long seed = 1; seed <= 20; seed++)
        {
            final SplittableRandom random = new SplittableRandom(seed);
            final KeyValueStateMachine originalStore = new KeyValueStateMachine();
            final DeduplicatingStateMachine original = new DeduplicatingStateMachine(originalStore);
            final long[] nextRequest = new long[6];
            final int before = 200 + random.nextInt(300);
            for (int i = 0; i < before; i++)
            {
                apply(random, nextRequest, original, null);
            }

            final ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer(64);
            final int length = original.snapshot(snapshot, 16);
            final KeyValueStateMachine restoredStore = new KeyValueStateMachine();
            final DeduplicatingStateMachine restored = new DeduplicatingStateMachine(restoredStore);
            restored.restore(snapshot, 16, length);
            assertEquals(originalStore.fingerprint(), restoredStore.fingerprint(), "state right after restore");

            final long skippedBefore = original.duplicatesSkipped();
            for (int i = 0; i < 300; i++)
            {
                apply(random, nextRequest, original, restored);
            }
            assertEquals(originalStore.fingerprint(), restoredStore.fingerprint(), "seed " + seed);
            assertEquals(original.duplicatesSkipped() - skippedBefore, restored.duplicatesSkipped(), "seed " + seed);
        }
    }

    @Test
    void truncatedSnapshotIsRefused()
    {
        final DeduplicatingStateMachine original = new DeduplicatingStateMachine(new KeyValueStateMachine());
        final SplittableRandom random = new SplittableRandom(3);
        final long[] nextRequest = new long[6];
        for (int i = 0; i < 50; i++)
        {
            apply(random, nextRequest, original, null);
        }
        final ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer(64);
        final int length = original.snapshot(snapshot, 0);
        for (final int cut : new int[] {1, 9, length / 2})
        {
            final UnsafeBuffer truncated = new UnsafeBuffer(snapshot.byteArray(), 0, length - cut);
            assertThrows(RuntimeException.class, () -> new DeduplicatingStateMachine(new KeyValueStateMachine())
                .restore(truncated, 0, length - cut), "cut by " + cut);
        }
    }

    @Test
    void aStateMachineWithoutSnapshotsSaysSo()
    {
        final StateMachine noSnapshots = (clientId, requestNumber, payload, offset, length, result, resultOffset) -> 0;
        assertThrows(UnsupportedOperationException.class, () -> noSnapshots.snapshot(new ExpandableArrayBuffer(), 0));
    }

    /**
     * One command from one of six clients: mostly its next request, sometimes a skip ahead (leaving a gap), a gap
     * filled, or a duplicate. Applied to {@code a} and, if given, to {@code b}, whose answers must match.
     */
    private void apply(
        final SplittableRandom random, final long[] nextRequest, final DeduplicatingStateMachine a,
        final DeduplicatingStateMachine b)
    {
        final int client = random.nextInt(nextRequest.length);
        final int choice = random.nextInt(10);
        final long requestNumber;
        if (choice == 0 && nextRequest[client] > 2)
        {
            requestNumber = 1 + random.nextLong(nextRequest[client]); // a duplicate, or a gap being filled
        }
        else
        {
            nextRequest[client] += choice == 1 ? 3 : 1; // sometimes skip ahead, leaving gaps
            requestNumber = nextRequest[client];
        }
        final ExpandableArrayBuffer command = new ExpandableArrayBuffer(64);
        final long key = random.nextInt(8);
        final int length = random.nextBoolean() ? kv.get(command, 0, key) :
            kv.put(command, 0, key, new byte[] {(byte)random.nextInt(), (byte)requestNumber});
        final ExpandableArrayBuffer resultA = new ExpandableArrayBuffer(64);
        final int lengthA = a.apply(client + 1, requestNumber, command, 0, length, resultA, 0);
        if (null != b)
        {
            final ExpandableArrayBuffer resultB = new ExpandableArrayBuffer(64);
            final int lengthB = b.apply(client + 1, requestNumber, command, 0, length, resultB, 0);
            final byte[] bytesA = new byte[lengthA];
            final byte[] bytesB = new byte[lengthB];
            resultA.getBytes(0, bytesA);
            resultB.getBytes(0, bytesB);
            assertArrayEquals(bytesA, bytesB, "answer to request " + requestNumber + " of client " + client);
        }
    }
}
