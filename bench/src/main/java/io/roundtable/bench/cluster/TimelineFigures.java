package io.roundtable.bench.cluster;

import io.roundtable.bench.report.Timeline;
import io.roundtable.workload.LatencyTimeline;
import org.HdrHistogram.Histogram;

import java.util.List;

/** Turns what a run recorded over time into the report's {@link Timeline}. */
final class TimelineFigures
{
    private TimelineFigures()
    {
    }

    static Timeline of(
        final LatencyTimeline latency, final List<Long> commandsPerSecond, final List<Long> messagesPerSecond,
        final ClusterDisturbance disturbance)
    {
        final int buckets = latency.bucketCount();
        final long[] commands = new long[buckets];
        final double[] p50 = new double[buckets];
        final double[] p99 = new double[buckets];
        final double[] max = new double[buckets];
        for (int i = 0; i < buckets; i++)
        {
            final Histogram bucket = latency.bucket(i);
            commands[i] = bucket.getTotalCount();
            final boolean empty = commands[i] == 0;
            p50[i] = empty ? Double.NaN : bucket.getValueAtPercentile(50) / 1e6;
            p99[i] = empty ? Double.NaN : bucket.getValueAtPercentile(99) / 1e6;
            max[i] = empty ? Double.NaN : bucket.getMaxValue() / 1e6;
        }
        final int seconds = Math.min(commandsPerSecond.size(), messagesPerSecond.size());
        final double[] messagesPerCommand = new double[seconds];
        for (int i = 0; i < seconds; i++)
        {
            final long answered = commandsPerSecond.get(i);
            messagesPerCommand[i] = answered > 0 ? (double)messagesPerSecond.get(i) / answered : Double.NaN;
        }
        final long eventSecond = null == disturbance ? -1 : disturbance.eventSecond();
        return new Timeline(latency.bucketNs() / 1e6, commands, p50, p99, max, messagesPerCommand, eventSecond,
            null == disturbance || eventSecond < 0 ? "" : disturbance.eventLabel());
    }
}
