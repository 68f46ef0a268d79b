package io.roundtable.bench.report;

import org.HdrHistogram.Histogram;

/**
 * The figures every output reports for one site of one run, read once from its histogram so the CSV, the JSON and
 * the page cannot disagree. Milliseconds; NaN where the histogram is empty or there is no optimum.
 *
 * @param count          commands measured at the site.
 * @param p50Ms          median.
 * @param p90Ms          90th percentile.
 * @param p99Ms          99th percentile.
 * @param p999Ms         99.9th percentile.
 * @param maxMs          largest latency.
 * @param meanMs         mean latency.
 * @param optimumMs      the site's optimum (see {@link SiteResult#optimumMs()}).
 * @param p50OverOptimum median / optimum: 1.05 is the "within 5 %" bound.
 */
record LatencyFigures(
    long count,
    double p50Ms,
    double p90Ms,
    double p99Ms,
    double p999Ms,
    double maxMs,
    double meanMs,
    double optimumMs,
    double p50OverOptimum)
{
    static final double NANOS_PER_MS = 1e6;

    static LatencyFigures of(final SiteResult site)
    {
        final Histogram histogram = site.latencyNs();
        final long count = histogram.getTotalCount();
        final double optimumMs = site.optimumMs();
        if (0 == count)
        {
            return new LatencyFigures(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                optimumMs, Double.NaN);
        }

        final double p50Ms = percentileMs(histogram, 50.0);
        final double ratio = optimumMs > 0 ? p50Ms / optimumMs : Double.NaN;

        return new LatencyFigures(
            count,
            p50Ms,
            percentileMs(histogram, 90.0),
            percentileMs(histogram, 99.0),
            percentileMs(histogram, 99.9),
            histogram.getMaxValue() / NANOS_PER_MS,
            histogram.getMean() / NANOS_PER_MS,
            optimumMs,
            ratio);
    }

    private static double percentileMs(final Histogram histogram, final double percentile)
    {
        return histogram.getValueAtPercentile(percentile) / NANOS_PER_MS;
    }
}
