package io.roundtable.bench.report;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.util.ArrayList;
import java.util.List;

/**
 * Latency by percentile at one site, one line per run: the HdrHistogram plot. The x axis is {@code log10(1/(1-p))},
 * so 90 %, 99 %, 99.9 %, ... are evenly spaced and the tail, where the protocols differ most, gets as much room as
 * the median; the y axis is linear milliseconds.
 */
final class PercentileChart
{
    /** The axis always reaches 99.99 %, and stops at 99.99999 % whatever the sample count. */
    private static final int MIN_DECADES = 4;
    private static final int MAX_DECADES = 7;
    /** The same points as the .hgrm files, so the chart and the files agree. */
    private static final int TICKS = HgrmFiles.PERCENTILE_TICKS_PER_HALF_DISTANCE;

    private PercentileChart()
    {
    }

    /**
     * @param site  the site's name, in the title.
     * @param runs  the runs measured at this site (label, protocol, ...), in legend order.
     * @param sites each run's result at this site, index for index with {@code runs}.
     * @return the chart as an inline SVG element.
     */
    static String svg(final String site, final List<RunResult> runs, final List<SiteResult> sites)
    {
        final List<double[]> xs = new ArrayList<>(runs.size());
        final List<double[]> ys = new ArrayList<>(runs.size());
        double maxX = 0;
        double maxY = 0;
        for (final SiteResult result : sites)
        {
            final Histogram histogram = result.latencyNs();
            final int count = pointCount(histogram);
            final double[] x = new double[count];
            final double[] y = new double[count];
            int i = 0;
            for (final HistogramIterationValue value : histogram.percentiles(TICKS))
            {
                final double percentile = value.getPercentileLevelIteratedTo();
                if (percentile < 100.0 && i < count)
                {
                    x[i] = Math.log10(100.0 / (100.0 - percentile));
                    y[i] = value.getValueIteratedTo() / LatencyFigures.NANOS_PER_MS;
                    maxX = Math.max(maxX, x[i]);
                    maxY = Math.max(maxY, y[i]);
                    i++;
                }
            }
            xs.add(x);
            ys.add(y);
        }

        final double optimumMs = optimumMs(sites);
        final int decades = Math.max(MIN_DECADES, Math.min(MAX_DECADES, (int)Math.ceil(maxX - 1e-9)));
        final double yMax = Double.isFinite(optimumMs) ? Math.max(maxY, optimumMs) : maxY;
        final SvgPlot plot = new SvgPlot(
            "Latency by percentile at " + site, percentileAxis(decades), Axis.linearFromZero("latency (ms)", yMax))
            .reference("optimum " + Decimal.format(optimumMs, 1) + " ms", optimumMs);
        for (int r = 0; r < runs.size(); r++)
        {
            plot.line(runs.get(r).label(), xs.get(r), ys.get(r), visiblePoints(xs.get(r), decades), false);
        }

        return plot.render();
    }

    /** The site's optimum, the same in every run that measured it; NaN where there is none (a LAN). */
    private static double optimumMs(final List<SiteResult> sites)
    {
        for (final SiteResult result : sites)
        {
            if (Double.isFinite(result.optimumMs()) && result.optimumMs() > 0)
            {
                return result.optimumMs();
            }
        }

        return Double.NaN;
    }

    /**
     * The points of the percentile iteration short of 100 %, where {@code 1/(1-p)} is infinite (the maximum is in
     * the table and the .hgrm file instead).
     */
    private static int pointCount(final Histogram histogram)
    {
        int count = 0;
        for (final HistogramIterationValue value : histogram.percentiles(TICKS))
        {
            if (value.getPercentileLevelIteratedTo() < 100.0)
            {
                count++;
            }
        }

        return count;
    }

    /** Points are in increasing x, so the visible ones are a prefix: those within the axis. */
    private static int visiblePoints(final double[] xs, final int decades)
    {
        int count = 0;
        while (count < xs.length && xs[count] <= decades)
        {
            count++;
        }

        return count;
    }

    private static Axis percentileAxis(final int decades)
    {
        final List<Axis.Tick> ticks = new ArrayList<>(decades + 1);
        for (int decade = 0; decade <= decades; decade++)
        {
            ticks.add(new Axis.Tick(decade, percentileLabel(decade)));
        }

        return new Axis("percentile", 0, decades, ticks);
    }

    /** 0 → 0 %, 1 → 90 %, 2 → 99 %, 3 → 99.9 %, ... */
    static String percentileLabel(final int decade)
    {
        if (0 == decade)
        {
            return "0%";
        }
        if (1 == decade)
        {
            return "90%";
        }
        if (2 == decade)
        {
            return "99%";
        }

        return "99." + "9".repeat(decade - 2) + "%";
    }
}
