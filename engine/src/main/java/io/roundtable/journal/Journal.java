package io.roundtable.journal;

import io.roundtable.protocol.JournalSink;
import org.agrona.DirectBuffer;

/**
 * A replica's durable log as the runtime drives it: the protocol appends through {@link JournalSink}, the duty cycle
 * calls {@link #flush()} once after a batch of appends and before sending the messages that reveal them, and a
 * restarted replica {@link #replay replays} every record before it handles anything else.
 *
 * <p>Checkpoints bound the log: a replica that can rebuild its state from a few records (a snapshot written as
 * records, say) brackets them with {@link #beginCheckpoint()} and {@link #endCheckpoint()}; from then on a restart
 * replays from the checkpoint's first record and everything before it may be deleted. Until the checkpoint is
 * complete nothing is released, so a crash in the middle replays from the previous checkpoint as if this one had
 * never begun (its records included, as ordinary records).
 */
public interface Journal extends JournalSink, AutoCloseable
{
    /** Receives each record in append order; the buffer is reused, so copy what you keep. */
    interface RecordHandler
    {
        void onRecord(DirectBuffer buffer, int offset, int length);
    }

    /** Makes every record appended so far as durable as this journal's policy promises. */
    void flush();

    /**
     * Whether {@link #flush()} does real work that must finish before messages revealing the appended records are
     * sent (then the runtime holds a duty cycle's messages until after the flush). False when appends are already
     * as durable as they get once {@code append} returns.
     */
    default boolean flushBeforeSend()
    {
        return false;
    }

    /**
     * Hands every record from the first record of the last completed checkpoint (from the very first record if no
     * checkpoint was ever completed), oldest first, to {@code handler}.
     */
    void replay(RecordHandler handler);

    /**
     * Starts a checkpoint: the next record appended is its first record, and everything appended until {@link
     * #endCheckpoint()} belongs to it. Calling it again before {@link #endCheckpoint()} starts the checkpoint over.
     */
    void beginCheckpoint();

    /**
     * The checkpoint begun by {@link #beginCheckpoint()} is complete and durable: from now on {@link #replay} starts
     * at its first record, and every record before it is released (may be deleted).
     *
     * @throws IllegalStateException if no checkpoint was begun, or nothing was appended since it was begun (an
     *                               empty checkpoint has no first record to replay from).
     */
    void endCheckpoint();

    /**
     * Records released by checkpoints of this instance: no longer handed out by {@link #replay}; 0 if it never
     * released anything.
     */
    long releasedRecords();

    /**
     * Records appended by this instance plus those it found when opened (from the replay start). Never decreases,
     * not even when a checkpoint releases records, so "it increased" reliably means "something was appended".
     */
    int recordCount();

    /** Bytes of records appended or found at open by this instance; never decreases either. */
    long bytes();

    void close();
}
