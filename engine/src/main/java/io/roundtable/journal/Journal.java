package io.roundtable.journal;

import io.roundtable.protocol.JournalSink;
import org.agrona.DirectBuffer;

/**
 * A replica's durable log as the runtime drives it: the protocol appends through {@link JournalSink}, the duty cycle
 * calls {@link #flush()} once after a batch of appends and before sending the messages that reveal them, and a
 * restarted replica {@link #replay replays} every record before it handles anything else.
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

    /** Hands every record, oldest first, to {@code handler}. */
    void replay(RecordHandler handler);

    /** Starts a checkpoint: the next record appended is its first record. */
    void beginCheckpoint();

    /** The checkpoint is complete: replay starts at its first record and earlier records may be released. */
    void endCheckpoint();

    int recordCount();

    /** Bytes of records appended or replayed by this instance. */
    long bytes();

    void close();
}
