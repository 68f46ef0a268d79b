package io.roundtable.protocol.progress;

/** Where a protocol's adapter delivers the entries of a Progress message, once it has been validated whole. */
public interface ProgressHandler
{
    /** {@code from} has executed every instance of {@code origin} up to {@code upTo}. */
    void onProgress(int from, int origin, long upTo);
}
