package io.roundtable.checkpoint;

import io.roundtable.command.CommandBatchWriter;
import io.roundtable.execution.CommandExecutor;
import io.roundtable.journal.InMemoryJournal;
import io.roundtable.journal.Journal;
import io.roundtable.protocol.DecisionObserver;
import io.roundtable.protocol.Dot;
import io.roundtable.protocol.Outbox;
import io.roundtable.protocol.Protocol;
import io.roundtable.protocol.ProtocolContext;
import io.roundtable.protocol.ProtocolFactory;
import io.roundtable.protocol.ReplicaCore;
import io.roundtable.protocol.epaxos.Epaxos;
import io.roundtable.statemachine.DeduplicatingStateMachine;
import io.roundtable.statemachine.KeyValueCommands;
import io.roundtable.statemachine.KeyValueStateMachine;
import io.roundtable.statemachine.StateMachine;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One EPaxos replica (of three, whose peers never answer) with a key-value store bigger than one checkpoint chunk:
 * what a replay from its checkpoint rebuilds, and what it refuses.
 */
class CheckpointerTest
{
    private static final int VALUE_BYTES = 1024;
    private static final int KEYS = 3 * Checkpointer.CHUNK_BYTES / VALUE_BYTES; // about 3 MiB of state: 4 chunks

    private final InMemoryJournal journal = new InMemoryJournal();
    private final KeyValueCommands kv = new KeyValueCommands();

    /** Protocol core, executor and state machine of one incarnation, all fresh. */
    private final class Replica implements Outbox
    {
        final KeyValueStateMachine store = new KeyValueStateMachine();
        final StateMachine stateMachine;
        final CommandExecutor executor;
        final Protocol protocol;
        final Checkpointer checkpointer;
        final ExpandableArrayBuffer sendBuffer = new ExpandableArrayBuffer(1024);
        final ExpandableArrayBuffer result = new ExpandableArrayBuffer(64);
        int executed;

        Replica(final Journal journal, final boolean snapshots)
        {
            stateMachine = snapshots ? new DeduplicatingStateMachine(store) : store::apply;
            final ReplicaCore core = ProtocolFactory.EPAXOS.create(new ProtocolContext(
                0, 3, 1, new int[]{ 1, 2 }, 1_000_000_000L, this, journal, this::onExecute, DecisionObserver.NONE));
            protocol = core.protocol();
            executor = core.executor();
            checkpointer = new Checkpointer(journal, protocol, executor, stateMachine);
        }

        void replay()
        {
            checkpointer.replay();
            executor.execute(Integer.MAX_VALUE);
        }

        /** Applies a put of every key directly, as if long executed, so the state is large. */
        void fill(final int keys)
        {
            final ExpandableArrayBuffer command = new ExpandableArrayBuffer(VALUE_BYTES + 64);
            final byte[] value = new byte[VALUE_BYTES];
            for (int key = 0; key < keys; key++)
            {
                value[0] = (byte)key;
                final int length = kv.put(command, 0, key, value);
                stateMachine.apply(7, key + 1, command, 0, length, result, 0);
            }
        }

        private void onExecute(final long dot)
        {
            executed++;
            protocol.onExecuted(dot);
        }

        public MutableDirectBuffer buffer()
        {
            return sendBuffer;
        }

        public void send(final int toReplica, final int length)
        {
        }

        public void sendToAll(final int length)
        {
        }
    }

    @Test
    void replayRestoresStateInstancesAndNextInstanceFromTheCheckpoint()
    {
        final Replica first = new Replica(journal, true);
        first.fill(KEYS);
        final long undecided = submitPut(first.protocol, 1_000_000);
        assertTrue(first.checkpointer.take(12_345));
        final int recordsAfterCheckpoint = journal.recordCount();

        final Replica second = new Replica(journal, true);
        final int[] replayed = new int[1];
        journal.replay((buffer, offset, length) -> replayed[0]++);
        assertEquals(1 + 4 + 1, replayed[0], "the checkpoint record, 4 state chunks, the one live instance");
        second.replay();

        assertTrue(second.checkpointer.restoredFromCheckpoint());
        assertEquals(12_345, second.checkpointer.commandsExecuted());
        assertEquals(first.store.fingerprint(), second.store.fingerprint());
        assertEquals(KEYS, second.store.size());
        assertEquals(((Epaxos)first.protocol).statusOf(undecided), ((Epaxos)second.protocol).statusOf(undecided));
        assertEquals(recordsAfterCheckpoint, journal.recordCount(), "replaying journals nothing");

        final long next = submitPut(second.protocol, 1_000_001);
        assertEquals(Dot.of(0, 2), next, "instance numbers go on after the checkpoint's");
    }

    @Test
    void aCheckpointThatNeverEndedIsSkippedByTheReplayThatPassesIt()
    {
        final Replica first = new Replica(journal, true);
        first.fill(100);
        assertTrue(first.checkpointer.take(0));
        first.fill(200); // changes the state after the completed checkpoint: only the store holds it now
        final Replica torn = new Replica(new NeverEnding(journal), true);
        torn.replay();
        torn.fill(300);
        assertTrue(torn.checkpointer.take(0)); // begun, never ended: replay must start at the first checkpoint

        final Replica second = new Replica(journal, true);
        second.replay();
        assertTrue(second.checkpointer.restoredFromCheckpoint());
        assertEquals(100, second.store.size(), "the completed checkpoint's state, not the torn one's");
    }

    @Test
    void aStateMachineWithoutSnapshotsNeverCheckpoints()
    {
        final Replica replica = new Replica(journal, false);
        replica.fill(10);
        submitPut(replica.protocol, 5);
        final int records = journal.recordCount();
        assertFalse(replica.checkpointer.take(0));
        assertFalse(replica.checkpointer.take(0));
        assertEquals(records, journal.recordCount());
        assertEquals(0, replica.checkpointer.checkpointsTaken());
    }

    @Test
    void aJournalEndingInsideItsHeadCheckpointIsReportedCorrupt()
    {
        final Replica first = new Replica(journal, true);
        first.fill(KEYS);
        assertTrue(first.checkpointer.take(0));
        final InMemoryJournal truncated = new InMemoryJournal();
        final int[] copied = new int[1];
        truncated.beginCheckpoint();
        journal.replay((buffer, offset, length) ->
        {
            if (copied[0]++ < 3)
            {
                truncated.append(buffer, offset, length); // the checkpoint record and two of its four chunks
            }
        });
        truncated.endCheckpoint();

        final IllegalStateException error =
            assertThrows(IllegalStateException.class, () -> new Replica(truncated, true).replay());
        assertTrue(error.getMessage().contains("2 of 4 state chunks"), error.getMessage());
    }

    private long submitPut(final Protocol protocol, final long key)
    {
        final ExpandableArrayBuffer payload = new ExpandableArrayBuffer(64);
        final int payloadLength = kv.put(payload, 0, key, new byte[]{ 1 });
        final ExpandableArrayBuffer batch = new ExpandableArrayBuffer(128);
        final CommandBatchWriter writer = new CommandBatchWriter().begin(batch, 0, 1)
            .add(9, key, true, new long[]{ key }, 1, payload, 0, payloadLength);
        return protocol.submit(batch, 0, writer.end());
    }

    /** A journal whose checkpoints never complete: a crash between begin and end. */
    private static final class NeverEnding implements Journal
    {
        private final Journal delegate;

        NeverEnding(final Journal delegate)
        {
            this.delegate = delegate;
        }

        public void append(final DirectBuffer buffer, final int offset, final int length)
        {
            delegate.append(buffer, offset, length);
        }

        public void flush()
        {
        }

        public void replay(final RecordHandler handler)
        {
            delegate.replay(handler);
        }

        public void beginCheckpoint()
        {
        }

        public void endCheckpoint()
        {
        }

        public int recordCount()
        {
            return delegate.recordCount();
        }

        public long releasedRecords()
        {
            return delegate.releasedRecords();
        }

        public long bytes()
        {
            return delegate.bytes();
        }

        public void close()
        {
        }
    }
}
