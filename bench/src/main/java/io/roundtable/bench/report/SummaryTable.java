package io.roundtable.bench.report;

import java.util.List;

/**
 * The page's summary table: a row per run and site, the run's own figures spanning its sites' rows. A median more
 * than 5 % above its site's optimum is marked, that being the bound for the WAN presets.
 */
final class SummaryTable
{
    /** Median / optimum above this misses the target. */
    static final double OPTIMUM_BOUND = 1.05;

    private static final String HEADER = "<tr><th>run</th><th>protocol</th><th>N</th><th>conflict</th>" +
        "<th>offered (cmd/s)</th><th>commands/s</th><th>fast path</th><th>recoveries</th><th>deps / instance</th>" +
        "<th>stability wait (ms)</th><th>GC (count / ms)</th>" +
        "<th>B/command</th><th>site</th><th>p50 (ms)</th><th>p99 (ms)</th><th>p99.9 (ms)</th><th>max (ms)</th>" +
        "<th>optimum (ms)</th><th>p50 / optimum</th></tr>\n";

    private SummaryTable()
    {
    }

    static void render(final StringBuilder out, final List<RunResult> runs)
    {
        out.append("<table class=\"summary\">\n<thead>").append(HEADER).append("</thead>\n<tbody>\n");
        for (final RunResult run : runs)
        {
            final int rows = Math.max(1, run.sites().size());
            out.append("<tr>");
            runCells(out, run, rows);
            if (run.sites().isEmpty())
            {
                out.append("<td colspan=\"7\">no sites</td></tr>\n");
            }
            for (int i = 0; i < run.sites().size(); i++)
            {
                out.append(i > 0 ? "<tr>" : "");
                siteCells(out, run, run.sites().get(i));
                out.append("</tr>\n");
            }
        }
        out.append("</tbody>\n</table>\n");
    }

    private static void runCells(final StringBuilder out, final RunResult run, final int rows)
    {
        final String open = rows > 1 ? "<td rowspan=\"" + rows + "\"" : "<td";
        out.append(open).append(">").append(Markup.escape(run.label())).append("</td>")
            .append(open).append(">").append(Markup.escape(run.protocol())).append("</td>")
            .append(open).append(" class=\"num\">").append(run.replicas()).append("</td>")
            .append(open).append(" class=\"num\">").append(percent(run.conflictRate(), 1)).append("</td>")
            .append(open).append(" class=\"num\">").append(run.offeredRate() > 0 ? run.offeredRate() : "closed loop")
            .append("</td>")
            .append(open).append(" class=\"num\">").append(Decimal.format(run.commandsPerSecond(), 0)).append("</td>")
            .append(open).append(" class=\"num\">").append(percent(run.fastPathRatio(), 1)).append("</td>")
            .append(open).append(" class=\"num\">").append(run.recoveries()).append("</td>")
            .append(open).append(" class=\"num\">").append(Decimal.format(run.dependenciesPerInstance(), 2))
            .append("</td>")
            .append(open).append(" class=\"num\">").append(Decimal.format(run.stabilityWaitMs(), 3)).append("</td>")
            .append(open).append(" class=\"num\">").append(run.gcCount()).append(" / ").append(run.gcPauseMs())
            .append("</td>")
            .append(open).append(" class=\"num\">").append(Decimal.format(run.allocatedBytesPerCommand(), 0))
            .append("</td>");
    }

    private static void siteCells(final StringBuilder out, final RunResult run, final SiteResult site)
    {
        final LatencyFigures figures = LatencyFigures.of(site);
        final String ratioClass = !Double.isFinite(figures.p50OverOptimum()) ? "num" :
            figures.p50OverOptimum() > OPTIMUM_BOUND ? "num miss" : "num hit";
        out.append("<td><a href=\"").append(Markup.escape(HgrmFiles.fileName(run, site))).append("\">")
            .append(Markup.escape(site.site())).append("</a></td>")
            .append("<td class=\"num\">").append(Decimal.format(figures.p50Ms(), 3)).append("</td>")
            .append("<td class=\"num\">").append(Decimal.format(figures.p99Ms(), 3)).append("</td>")
            .append("<td class=\"num\">").append(Decimal.format(figures.p999Ms(), 3)).append("</td>")
            .append("<td class=\"num\">").append(Decimal.format(figures.maxMs(), 3)).append("</td>")
            .append("<td class=\"num\">").append(Decimal.format(figures.optimumMs(), 1)).append("</td>")
            .append("<td class=\"").append(ratioClass).append("\">")
            .append(Decimal.format(figures.p50OverOptimum(), 3)).append("</td>");
    }

    private static String percent(final double ratio, final int decimals)
    {
        final String figure = Decimal.format(ratio * 100, decimals);
        return figure.isEmpty() ? "" : figure + " %";
    }
}
