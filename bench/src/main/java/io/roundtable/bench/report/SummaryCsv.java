package io.roundtable.bench.report;

import java.util.List;

/**
 * {@code summary.csv}: one row per run and site, for spreadsheets and scripts that compare reports. Percentages are
 * 0–100, latencies milliseconds; an empty cell is an unknown figure.
 */
final class SummaryCsv
{
    static final String HEADER = "preset,label,protocol,replicas,conflict_pct,offered_rate,commands_per_s," +
        "fast_path_pct,recoveries,gc_count,gc_ms,alloc_bytes_per_command,site,p50_ms,p90_ms,p99_ms,p999_ms,max_ms," +
        "optimum_ms,p50_over_optimum,deps_per_instance,stability_wait_ms";

    private SummaryCsv()
    {
    }

    static String render(final String preset, final List<RunResult> runs)
    {
        final StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (final RunResult run : runs)
        {
            for (final SiteResult site : run.sites())
            {
                final LatencyFigures figures = LatencyFigures.of(site);
                out.append(cell(preset)).append(',')
                    .append(cell(run.label())).append(',')
                    .append(cell(run.protocol())).append(',')
                    .append(run.replicas()).append(',')
                    .append(Decimal.format(run.conflictRate() * 100, 2)).append(',')
                    .append(run.offeredRate()).append(',')
                    .append(Decimal.format(run.commandsPerSecond(), 1)).append(',')
                    .append(Decimal.format(run.fastPathRatio() * 100, 2)).append(',')
                    .append(run.recoveries()).append(',')
                    .append(run.gcCount()).append(',')
                    .append(run.gcPauseMs()).append(',')
                    .append(Decimal.format(run.allocatedBytesPerCommand(), 1)).append(',')
                    .append(cell(site.site())).append(',')
                    .append(Decimal.format(figures.p50Ms(), 3)).append(',')
                    .append(Decimal.format(figures.p90Ms(), 3)).append(',')
                    .append(Decimal.format(figures.p99Ms(), 3)).append(',')
                    .append(Decimal.format(figures.p999Ms(), 3)).append(',')
                    .append(Decimal.format(figures.maxMs(), 3)).append(',')
                    .append(Decimal.format(figures.optimumMs(), 3)).append(',')
                    .append(Decimal.format(figures.p50OverOptimum(), 4)).append(',')
                    .append(Decimal.format(run.dependenciesPerInstance(), 2)).append(',')
                    .append(Decimal.format(run.stabilityWaitMs(), 3)).append('\n');
            }
        }

        return out.toString();
    }

    /**
     * RFC 4180: a text cell with a comma, quote or line break is quoted, its quotes doubled.
     */
    private static String cell(final String text)
    {
        if (null == text)
        {
            return "";
        }

        final boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 ||
            text.indexOf('\r') >= 0;

        return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }
}
