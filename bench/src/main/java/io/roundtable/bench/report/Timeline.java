package io.roundtable.bench.report;

/**
 * A run's latency and cost over time, for scenarios where something happens mid-window (seed 001's straggler
 * switch): per latency bucket the commands answered and their p50/p99/max; per second the protocol messages all
 * replicas sent per command answered.
 *
 * @param bucketMs           width of a latency bucket.
 * @param commands           commands answered in each bucket.
 * @param p50Ms              their median latency (NaN for an empty bucket).
 * @param p99Ms              their 99th percentile.
 * @param maxMs              their slowest.
 * @param messagesPerCommand per second of the window: messages sent by all replicas / commands answered (NaN if none
 *                           were answered).
 * @param eventSecond        when the scenario's event happened, in seconds into the window; negative if none.
 * @param eventLabel         what it was, e.g. "replica 2 stopped"; empty if none.
 */
public record Timeline(
    double bucketMs,
    long[] commands,
    double[] p50Ms,
    double[] p99Ms,
    double[] maxMs,
    double[] messagesPerCommand,
    double eventSecond,
    String eventLabel)
{
    /** Whether something happened mid-window worth marking. */
    public boolean hasEvent()
    {
        return eventSecond >= 0;
    }
}
