package io.roundtable.bench.report;

import java.util.Arrays;

/**
 * The figures a reader compares around a timeline's event, for summary.json: median of the per-bucket p50 and p99
 * latencies, and mean messages per command, before the event and from one second after it (the switch itself, the
 * failover and catch-up, is in between and shows in the chart and the CSV).
 */
final class TimelineSummary
{
    private TimelineSummary()
    {
    }

    static void append(final StringBuilder out, final Timeline timeline)
    {
        if (null == timeline || !timeline.hasEvent())
        {
            return;
        }
        final int eventBucket = (int)Math.round(timeline.eventSecond() * 1000 / timeline.bucketMs());
        final int afterBucket = (int)Math.round((timeline.eventSecond() + 1) * 1000 / timeline.bucketMs());
        final int eventSecond = (int)timeline.eventSecond();
        out.append(", \"event\": ").append(JsonText.string(timeline.eventLabel()))
            .append(", \"eventSecond\": ").append(JsonText.number(timeline.eventSecond()))
            .append(", \"p50BeforeMs\": ").append(JsonText.number(median(timeline.p50Ms(), 0, eventBucket)))
            .append(", \"p50AfterMs\": ").append(JsonText.number(
                median(timeline.p50Ms(), afterBucket, timeline.p50Ms().length)))
            .append(", \"p99BeforeMs\": ").append(JsonText.number(median(timeline.p99Ms(), 0, eventBucket)))
            .append(", \"p99AfterMs\": ").append(JsonText.number(
                median(timeline.p99Ms(), afterBucket, timeline.p99Ms().length)))
            .append(", \"worstBucketP99Ms\": ").append(JsonText.number(max(timeline.p99Ms())))
            .append(", \"messagesPerCommandBefore\": ").append(JsonText.number(
                mean(timeline.messagesPerCommand(), 0, eventSecond)))
            .append(", \"messagesPerCommandAfter\": ").append(JsonText.number(
                mean(timeline.messagesPerCommand(), eventSecond + 1, timeline.messagesPerCommand().length)));
    }

    private static double median(final double[] values, final int from, final int to)
    {
        final double[] finite = new double[Math.max(0, Math.min(to, values.length) - from)];
        int count = 0;
        for (int i = from; i < Math.min(to, values.length); i++)
        {
            if (Double.isFinite(values[i]))
            {
                finite[count++] = values[i];
            }
        }
        if (count == 0)
        {
            return Double.NaN;
        }
        Arrays.sort(finite, 0, count);
        return finite[count / 2];
    }

    private static double mean(final double[] values, final int from, final int to)
    {
        double sum = 0;
        int count = 0;
        for (int i = Math.max(0, from); i < Math.min(to, values.length); i++)
        {
            if (Double.isFinite(values[i]))
            {
                sum += values[i];
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    private static double max(final double[] values)
    {
        double max = Double.NaN;
        for (final double value : values)
        {
            if (Double.isFinite(value))
            {
                max = Double.isNaN(max) ? value : Math.max(max, value);
            }
        }
        return max;
    }
}
