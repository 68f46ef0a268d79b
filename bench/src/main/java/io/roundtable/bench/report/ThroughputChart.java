package io.roundtable.bench.report;

import java.util.List;

/**
 * Commands answered in each second of the measured window, one line per run: shows warm-up left in the window,
 * stalls (a recovery, a GC, back pressure) and whether a run reached a steady state at all.
 */
final class ThroughputChart
{
    private ThroughputChart()
    {
    }

    /**
     * @return the chart as an inline SVG element; a run's point for second {@code i} (from 1) counts the commands
     * answered during that second.
     */
    static String svg(final List<RunResult> runs)
    {
        int seconds = 0;
        long maxRate = 0;
        for (final RunResult run : runs)
        {
            seconds = Math.max(seconds, run.throughputPerSecond().length);
            for (final long rate : run.throughputPerSecond())
            {
                maxRate = Math.max(maxRate, rate);
            }
        }

        final SvgPlot plot = new SvgPlot(
            "Throughput over time",
            Axis.linearFromZero("time in the measured window (s)", seconds),
            Axis.linearFromZero("commands/s", maxRate));
        for (final RunResult run : runs)
        {
            final long[] rates = run.throughputPerSecond();
            final double[] xs = new double[rates.length];
            final double[] ys = new double[rates.length];
            for (int i = 0; i < rates.length; i++)
            {
                xs[i] = i + 1;
                ys[i] = rates[i];
            }
            plot.line(run.label(), xs, ys, rates.length, false);
        }

        return plot.render();
    }
}
