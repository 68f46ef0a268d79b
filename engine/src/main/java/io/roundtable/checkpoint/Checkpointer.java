package io.roundtable.checkpoint;

import io.roundtable.codecs.CheckpointChunkDecoder;
import io.roundtable.codecs.CheckpointChunkEncoder;
import io.roundtable.codecs.CheckpointRecordDecoder;
import io.roundtable.codecs.CheckpointRecordEncoder;
import io.roundtable.codecs.MessageHeaderDecoder;
import io.roundtable.codecs.MessageHeaderEncoder;
import io.roundtable.execution.CommandExecutor;
import io.roundtable.journal.Journal;
import io.roundtable.protocol.Protocol;
import io.roundtable.statemachine.StateMachine;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.util.function.LongConsumer;

/**
 * A replica's checkpoints: what lets its journal drop the records its state already reflects.
 * <p>
 * {@link #take()} writes, between {@link Journal#beginCheckpoint()} and {@link Journal#endCheckpoint()}: one
 * {@code CheckpointRecord}; the checkpoint's state in {@code CheckpointChunk}s (the protocol core's own state, the
 * executor's executed set, the state machine's snapshot, all taken at the same moment between duty-cycle steps);
 * then the core re-journals every instance it still holds. From then on a replay starts at that
 * {@code CheckpointRecord}, and the journal may release everything before it.
 * <p>
 * {@link #replay()} is the other half: the state at the head of the replay is restored into a fresh core, executor
 * and state machine, and every later record goes to the core as usual. A checkpoint met later in a replay is one that
 * never completed (a crash between begin and end): its state is skipped, and its instance records only repeat what
 * the core already holds.
 * <p>
 * Instances executed before the checkpoint and still held by the core (not yet executed everywhere) come back as
 * decisions during the replay; the executor ignores them (its executed set is restored first) and the core is told
 * they executed once the replay ends.
 * <p>
 * Not on the hot path: a checkpoint copies the whole state and allocates while its buffers grow. Single-threaded.
 */
public final class Checkpointer implements Journal.RecordHandler
{
    /** State bytes per journal record: well below what a Chronicle excerpt may hold. */
    static final int CHUNK_BYTES = 1 << 20;
    private static final int REPLAY_WORK_LIMIT = 4096;

    private final Journal journal;
    private final Protocol protocol;
    private final CommandExecutor executor;
    private final StateMachine stateMachine;
    private final ExpandableArrayBuffer state = new ExpandableArrayBuffer(4096);
    private final ExpandableArrayBuffer record = new ExpandableArrayBuffer(4096);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final CheckpointRecordEncoder checkpointEncoder = new CheckpointRecordEncoder();
    private final CheckpointRecordDecoder checkpointDecoder = new CheckpointRecordDecoder();
    private final CheckpointChunkEncoder chunkEncoder = new CheckpointChunkEncoder();
    private final CheckpointChunkDecoder chunkDecoder = new CheckpointChunkDecoder();
    private final LongConsumer markExecuted;
    private boolean snapshotsUnsupported;
    private long checkpointsTaken;

    private long recordsReplayed;
    private boolean restoring;
    private boolean restored;
    private int stateLength;
    private int protocolStateLength;
    private int executedLength;
    private int stateMachineLength;
    private int chunksExpected;
    private int chunksSeen;
    private int filled;
    private long commandsExecuted;

    public Checkpointer(
        final Journal journal, final Protocol protocol, final CommandExecutor executor, final StateMachine stateMachine)
    {
        this.journal = journal;
        this.protocol = protocol;
        this.executor = executor;
        this.stateMachine = stateMachine;
        this.markExecuted = protocol::onExecuted;
    }

    /**
     * Writes a checkpoint (see the class comment). Call it between duty-cycle steps, never from inside the core or
     * the executor.
     *
     * @param commandsExecuted how many commands the state reflects, handed back by {@link #commandsExecuted()} after a
     *                         replay from this checkpoint (so counters do not restart from zero).
     * @return false, and nothing is written, if the state machine cannot snapshot: then the journal keeps growing.
     */
    public boolean take(final long commandsExecuted)
    {
        if (snapshotsUnsupported)
        {
            return false;
        }
        final int protocolLength = protocol.snapshotState(state, 0);
        final int executedSetLength = executor.snapshotExecuted(state, protocolLength);
        final int machineLength;
        try
        {
            machineLength = stateMachine.snapshot(state, protocolLength + executedSetLength);
        }
        catch (final UnsupportedOperationException ex)
        {
            snapshotsUnsupported = true;
            return false;
        }
        final long total = (long)protocolLength + executedSetLength + machineLength;
        if (total > Integer.MAX_VALUE - CHUNK_BYTES)
        {
            throw new IllegalStateException("checkpoint state of " + total + " bytes is too large (limit 2 GiB)");
        }
        final int length = (int)total;
        final int chunks = (length + CHUNK_BYTES - 1) / CHUNK_BYTES;

        journal.beginCheckpoint();
        checkpointEncoder.wrapAndApplyHeader(record, 0, headerEncoder)
            .stateLength(length)
            .chunkCount(chunks)
            .protocolStateLength(protocolLength)
            .executedLength(executedSetLength)
            .stateMachineLength(machineLength)
            .commandsExecuted(commandsExecuted);
        journal.append(record, 0, MessageHeaderEncoder.ENCODED_LENGTH + checkpointEncoder.encodedLength());
        for (int position = 0; position < length; position += CHUNK_BYTES)
        {
            chunkEncoder.wrapAndApplyHeader(record, 0, headerEncoder)
                .position(position)
                .putBytes(state, position, Math.min(CHUNK_BYTES, length - position));
            journal.append(record, 0, MessageHeaderEncoder.ENCODED_LENGTH + chunkEncoder.encodedLength());
        }
        protocol.journalLiveInstances();
        journal.endCheckpoint();
        checkpointsTaken++;
        return true;
    }

    /**
     * Rebuilds core, executor and state machine from the journal (all fresh): the checkpoint at its head, if any,
     * then every record after it, executing what each record makes runnable before the next (see
     * {@link #executeWhatBecameRunnable()}); the caller drains the executor once more afterwards.
     */
    public void replay()
    {
        recordsReplayed = 0;
        commandsExecuted = 0;
        restoring = false;
        restored = false;
        journal.replay(this);
        if (restoring)
        {
            throw new IllegalStateException("journal ends inside the checkpoint it starts with: " + chunksSeen +
                " of " + chunksExpected + " state chunks. The journal is corrupt");
        }
        executor.drainDecidedButRestored(markExecuted);
    }

    /** Whether the last {@link #replay()} started from a checkpoint. */
    public boolean restoredFromCheckpoint()
    {
        return restored;
    }

    /** The commands the checkpoint the last replay started from reflects (0 if it started from nothing). */
    public long commandsExecuted()
    {
        return commandsExecuted;
    }

    public long checkpointsTaken()
    {
        return checkpointsTaken;
    }

    public void onRecord(final DirectBuffer buffer, final int offset, final int length)
    {
        final int templateId = templateIdOf(buffer, offset, length);
        if (templateId == CheckpointRecordDecoder.TEMPLATE_ID)
        {
            if (recordsReplayed == 0)
            {
                startRestoring(buffer, offset);
            }
        }
        else if (templateId == CheckpointChunkDecoder.TEMPLATE_ID)
        {
            if (restoring)
            {
                restoreChunk(buffer, offset);
            }
        }
        else
        {
            if (restoring)
            {
                throw new IllegalStateException("journal record " + recordsReplayed + " interrupts the checkpoint " +
                    "the journal starts with (" + chunksSeen + " of " + chunksExpected + " state chunks read). The " +
                    "journal is corrupt");
            }
            protocol.replay(buffer, offset, length);
            executeWhatBecameRunnable();
        }
        recordsReplayed++;
    }

    /**
     * Runs what the record made executable before the next record is replayed. Why: a command executed at every
     * replica is forgotten by the conflict index, so a later conflicting command may carry no dependency path to it.
     * Live, that is safe (it executed here before the later one was even proposed); a replay that decided everything
     * before executing anything could run the later one first. Executing after each record repeats the original
     * order: each command runs no later than after the record after which it originally ran.
     */
    private void executeWhatBecameRunnable()
    {
        while (executor.execute(REPLAY_WORK_LIMIT) > 0)
        {
            // until nothing is runnable
        }
    }

    private int templateIdOf(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return -1;
        }
        headerDecoder.wrap(buffer, offset);
        return headerDecoder.schemaId() == CheckpointRecordDecoder.SCHEMA_ID ? headerDecoder.templateId() : -1;
    }

    private void startRestoring(final DirectBuffer buffer, final int offset)
    {
        checkpointDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
        stateLength = checkpointDecoder.stateLength();
        chunksExpected = checkpointDecoder.chunkCount();
        protocolStateLength = checkpointDecoder.protocolStateLength();
        executedLength = checkpointDecoder.executedLength();
        stateMachineLength = checkpointDecoder.stateMachineLength();
        commandsExecuted = checkpointDecoder.commandsExecuted();
        if (protocolStateLength < 0 || executedLength < 0 || stateMachineLength < 0 ||
            (long)protocolStateLength + executedLength + stateMachineLength != stateLength ||
            chunksExpected != (stateLength + (long)CHUNK_BYTES - 1) / CHUNK_BYTES)
        {
            throw new IllegalStateException("journal starts with a corrupt checkpoint: state of " + stateLength +
                " bytes in " + chunksExpected + " chunks, parts " + protocolStateLength + "+" + executedLength + "+" +
                stateMachineLength);
        }
        state.checkLimit(stateLength);
        chunksSeen = 0;
        filled = 0;
        restoring = true;
        if (chunksExpected == 0)
        {
            finishRestoring();
        }
    }

    private void restoreChunk(final DirectBuffer buffer, final int offset)
    {
        chunkDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
        final int position = chunkDecoder.position();
        final int length = chunkDecoder.bytesLength();
        if (position != filled || position + (long)length > stateLength)
        {
            throw new IllegalStateException("journal starts with a corrupt checkpoint: chunk " + chunksSeen + " at " +
                position + " (+" + length + ") where " + filled + " of " + stateLength + " bytes were expected");
        }
        chunkDecoder.getBytes(state, position, length);
        filled += length;
        if (++chunksSeen == chunksExpected)
        {
            if (filled != stateLength)
            {
                throw new IllegalStateException("journal starts with a corrupt checkpoint: " + filled + " of " +
                    stateLength + " state bytes in its " + chunksExpected + " chunks");
            }
            finishRestoring();
        }
    }

    private void finishRestoring()
    {
        restoring = false;
        protocol.restoreState(state, 0, protocolStateLength);
        executor.restoreExecuted(state, protocolStateLength, executedLength);
        stateMachine.restore(state, protocolStateLength + executedLength, stateMachineLength);
        restored = true;
    }
}
