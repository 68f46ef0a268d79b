package io.roundtable.bench.report;

import java.util.List;

/**
 * {@code summary.json}: everything in the CSV plus the per-second throughput, for scripts that plot or compare
 * reports. Field names follow {@link RunResult} (rates as fractions); unknown figures are {@code null}.
 */
final class SummaryJson
{
    private SummaryJson()
    {
    }

    static String render(final String preset, final String description, final List<RunResult> runs)
    {
        final StringBuilder out = new StringBuilder(4096)
            .append("{\n  \"preset\": ").append(JsonText.string(preset))
            .append(",\n  \"description\": ").append(JsonText.string(description))
            .append(",\n  \"runs\": [");
        for (int i = 0; i < runs.size(); i++)
        {
            out.append(i > 0 ? "," : "").append("\n    ");
            run(out, runs.get(i));
        }

        return out.append(runs.isEmpty() ? "]\n}\n" : "\n  ]\n}\n").toString();
    }

    private static void run(final StringBuilder out, final RunResult run)
    {
        out.append("{\"label\": ").append(JsonText.string(run.label()))
            .append(", \"protocol\": ").append(JsonText.string(run.protocol()))
            .append(", \"replicas\": ").append(run.replicas())
            .append(", \"conflictRate\": ").append(JsonText.number(run.conflictRate()))
            .append(", \"offeredRate\": ").append(run.offeredRate())
            .append(", \"measuredSeconds\": ").append(JsonText.number(run.measuredSeconds()))
            .append(", \"commands\": ").append(run.commands())
            .append(", \"commandsPerSecond\": ").append(JsonText.number(run.commandsPerSecond()))
            .append(", \"fastPathRatio\": ").append(JsonText.number(run.fastPathRatio()))
            .append(", \"recoveries\": ").append(run.recoveries())
            .append(", \"dependenciesPerInstance\": ").append(JsonText.number(run.dependenciesPerInstance()))
            .append(", \"stabilityWaitMs\": ").append(JsonText.number(run.stabilityWaitMs()))
            .append(", \"gcCount\": ").append(run.gcCount())
            .append(", \"gcPauseMs\": ").append(run.gcPauseMs())
            .append(", \"allocatedBytesPerCommand\": ").append(JsonText.number(run.allocatedBytesPerCommand()));
        TimelineSummary.append(out, run.timeline());
        out.append(",\n     \"throughputPerSecond\": [");
        final long[] throughput = run.throughputPerSecond();
        for (int i = 0; i < throughput.length; i++)
        {
            out.append(i > 0 ? ", " : "").append(throughput[i]);
        }
        out.append("],\n     \"sites\": [");

        final List<SiteResult> sites = run.sites();
        for (int i = 0; i < sites.size(); i++)
        {
            out.append(i > 0 ? "," : "").append("\n       ");
            site(out, run, sites.get(i));
        }
        out.append("]}");
    }

    private static void site(final StringBuilder out, final RunResult run, final SiteResult site)
    {
        final LatencyFigures figures = LatencyFigures.of(site);
        out.append("{\"site\": ").append(JsonText.string(site.site()))
            .append(", \"hgrm\": ").append(JsonText.string(HgrmFiles.fileName(run, site)))
            .append(", \"count\": ").append(figures.count())
            .append(", \"p50Ms\": ").append(JsonText.number(figures.p50Ms()))
            .append(", \"p90Ms\": ").append(JsonText.number(figures.p90Ms()))
            .append(", \"p99Ms\": ").append(JsonText.number(figures.p99Ms()))
            .append(", \"p999Ms\": ").append(JsonText.number(figures.p999Ms()))
            .append(", \"maxMs\": ").append(JsonText.number(figures.maxMs()))
            .append(", \"meanMs\": ").append(JsonText.number(figures.meanMs()))
            .append(", \"optimumMs\": ").append(JsonText.number(figures.optimumMs()))
            .append(", \"p50OverOptimum\": ").append(JsonText.number(figures.p50OverOptimum()))
            .append('}');
    }
}
