package io.roundtable.bench.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Latency and messages per command over the measured window, one line per run, with the scenario's event (a replica
 * stopped) marked: seed 001's picture of what a quorum switch to a straggler costs.
 */
final class TimelineChart
{
    private TimelineChart()
    {
    }

    /** Whether any run has a timeline with an event to show. */
    static boolean applies(final List<RunResult> runs)
    {
        for (final RunResult run : runs)
        {
            if (null != run.timeline() && run.timeline().hasEvent())
            {
                return true;
            }
        }
        return false;
    }

    /** p99 latency per bucket (and p50 dashed), ms, against seconds into the window. */
    static String latencySvg(final List<RunResult> runs)
    {
        double seconds = 1;
        double highest = 0;
        double event = -1;
        for (final RunResult run : runs)
        {
            final Timeline timeline = run.timeline();
            if (null == timeline)
            {
                continue;
            }
            seconds = Math.max(seconds, timeline.commands().length * timeline.bucketMs() / 1000);
            highest = Math.max(highest, finiteMax(timeline.p99Ms()));
            event = timeline.hasEvent() ? timeline.eventSecond() : event;
        }
        // a fail-over's seconds-long bucket would flatten the rest: clip at 4x the 95th percentile of bucket p99s
        final double top = Math.min(highest, 4 * p95OfBucketP99s(runs));
        final String clipped = top < highest ? String.format(Locale.ROOT, ", clipped at %.0f ms", top) : "";
        final SvgPlot plot = new SvgPlot("Latency over time (p99 per 100 ms; markers: p50" + clipped + ")",
            Axis.linearFromZero("time in the measured window (s)", seconds), Axis.linearFromZero("ms", top));
        for (final RunResult run : runs)
        {
            final Timeline timeline = run.timeline();
            if (null == timeline)
            {
                continue;
            }
            plot.line(run.label() + " p99", times(timeline), clip(timeline.p99Ms(), top), timeline.commands().length,
                false);
            plot.line(run.label() + " p50", times(timeline), clip(timeline.p50Ms(), top), timeline.commands().length,
                true);
        }
        marker(plot, runs, event, top);
        return plot.render();
    }

    /** Messages all replicas sent per command answered, per second. */
    static String messagesSvg(final List<RunResult> runs)
    {
        double seconds = 1;
        double highest = 0;
        double event = -1;
        for (final RunResult run : runs)
        {
            final Timeline timeline = run.timeline();
            if (null == timeline)
            {
                continue;
            }
            seconds = Math.max(seconds, timeline.messagesPerCommand().length);
            highest = Math.max(highest, finiteMax(timeline.messagesPerCommand()));
            event = timeline.hasEvent() ? timeline.eventSecond() : event;
        }
        final SvgPlot plot = new SvgPlot("Messages per command over time",
            Axis.linearFromZero("time in the measured window (s)", seconds),
            Axis.linearFromZero("protocol messages sent / command answered", highest));
        for (final RunResult run : runs)
        {
            final Timeline timeline = run.timeline();
            if (null == timeline)
            {
                continue;
            }
            final double[] perSecond = timeline.messagesPerCommand();
            final double[] xs = new double[perSecond.length];
            for (int i = 0; i < xs.length; i++)
            {
                xs[i] = i + 1;
            }
            plot.line(run.label(), xs, perSecond, perSecond.length, true);
        }
        marker(plot, runs, event, highest);
        return plot.render();
    }

    private static void marker(final SvgPlot plot, final List<RunResult> runs, final double event, final double top)
    {
        if (event < 0)
        {
            return;
        }
        String label = "event";
        for (final RunResult run : runs)
        {
            if (null != run.timeline() && run.timeline().hasEvent())
            {
                label = run.timeline().eventLabel();
                break;
            }
        }
        plot.line(label, new double[] {event, event}, new double[] {0, top}, 2, false);
    }

    private static double p95OfBucketP99s(final List<RunResult> runs)
    {
        final List<Double> values = new ArrayList<>();
        for (final RunResult run : runs)
        {
            if (null != run.timeline())
            {
                for (final double value : run.timeline().p99Ms())
                {
                    if (Double.isFinite(value))
                    {
                        values.add(value);
                    }
                }
            }
        }
        if (values.isEmpty())
        {
            return Double.POSITIVE_INFINITY;
        }
        Collections.sort(values);
        return values.get((int)(0.95 * (values.size() - 1)));
    }

    private static double[] clip(final double[] values, final double top)
    {
        final double[] clipped = new double[values.length];
        for (int i = 0; i < values.length; i++)
        {
            clipped[i] = Math.min(values[i], top); // NaN stays NaN
        }
        return clipped;
    }

    private static double[] times(final Timeline timeline)
    {
        final double[] xs = new double[timeline.commands().length];
        for (int i = 0; i < xs.length; i++)
        {
            xs[i] = (i + 0.5) * timeline.bucketMs() / 1000;
        }
        return xs;
    }

    private static double finiteMax(final double[] values)
    {
        double max = 0;
        for (final double value : values)
        {
            if (Double.isFinite(value))
            {
                max = Math.max(max, value);
            }
        }
        return max;
    }
}
