package io.roundtable.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Fast-path commits against conflict rate, one line per protocol: the curve the EPaxos, Atlas and Tempo papers
 * draw, and where the leaderless protocols' advantage goes as contention rises.
 */
final class FastPathChart
{
    private FastPathChart()
    {
    }

    /**
     * A line per protocol, or per protocol and cluster size when the runs have several sizes (a 3-replica and a
     * 5-replica curve differ, so averaging them would draw neither). Runs of the same line and conflict rate (e.g.
     * at full and at half load) are averaged; runs whose fast-path ratio is unknown are left out.
     *
     * @return the chart as an inline SVG element, or null when the runs span fewer than two conflict rates and there
     * is no curve to draw.
     */
    static String svg(final List<RunResult> runs)
    {
        if (conflictRates(runs) < 2)
        {
            return null;
        }

        final boolean bySize = runs.stream().mapToInt(RunResult::replicas).distinct().count() > 1;
        final Map<String, TreeMap<Double, double[]>> lines = new LinkedHashMap<>();
        for (final RunResult run : runs)
        {
            if (Double.isFinite(run.fastPathRatio()))
            {
                final String line = bySize ? run.protocol() + " n=" + run.replicas() : run.protocol();
                final double[] sumAndCount = lines.computeIfAbsent(line, (key) -> new TreeMap<>())
                    .computeIfAbsent(run.conflictRate() * 100, (key) -> new double[2]);
                sumAndCount[0] += run.fastPathRatio() * 100;
                sumAndCount[1]++;
            }
        }

        final SvgPlot plot = new SvgPlot(
            "Fast path vs conflict rate",
            Axis.linearFromZero("conflict rate (%)", maxConflictPercent(runs)),
            new Axis("fast-path commits (%)", 0, 100, percentTicks()));
        for (final Map.Entry<String, TreeMap<Double, double[]>> line : lines.entrySet())
        {
            final int count = line.getValue().size();
            final double[] xs = new double[count];
            final double[] ys = new double[count];
            int i = 0;
            for (final Map.Entry<Double, double[]> point : line.getValue().entrySet())
            {
                xs[i] = point.getKey();
                ys[i] = point.getValue()[0] / point.getValue()[1];
                i++;
            }
            plot.line(line.getKey(), xs, ys, count, true);
        }

        return plot.render();
    }

    static int conflictRates(final List<RunResult> runs)
    {
        final TreeSet<Double> rates = new TreeSet<>();
        for (final RunResult run : runs)
        {
            rates.add(run.conflictRate());
        }

        return rates.size();
    }

    private static double maxConflictPercent(final List<RunResult> runs)
    {
        double max = 0;
        for (final RunResult run : runs)
        {
            max = Math.max(max, run.conflictRate() * 100);
        }

        return max;
    }

    private static List<Axis.Tick> percentTicks()
    {
        final List<Axis.Tick> ticks = new ArrayList<>();
        for (int percent = 0; percent <= 100; percent += 20)
        {
            ticks.add(new Axis.Tick(percent, percent + "%"));
        }

        return ticks;
    }
}
