package io.roundtable.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code index.html}: one self-contained page (inline CSS and SVG, no script, no font or stylesheet fetched) so a
 * report folder can be archived, mailed or opened from CI artifacts offline and still show its charts.
 */
final class HtmlPage
{
    private static final String STYLE = """
        body { font-family: sans-serif; margin: 24px; color: #222; }
        h1 { font-size: 22px; margin-bottom: 4px; }
        h2 { font-size: 18px; margin-top: 32px; }
        p.description { max-width: 70em; white-space: pre-wrap; }
        table.summary { border-collapse: collapse; font-size: 13px; }
        table.summary th, table.summary td { border: 1px solid #ccc; padding: 3px 6px; vertical-align: top; }
        table.summary th { background: #f0f0f0; }
        table.summary td { white-space: nowrap; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        td.miss { background: #fbe3e3; }
        td.hit { background: #e3f4e3; }
        svg.chart { display: block; margin: 8px 0 16px 0; }
        svg.chart text { font-family: sans-serif; fill: #222; }
        svg.chart .chart-title { font-size: 15px; font-weight: bold; }
        svg.chart .tick { font-size: 11px; }
        svg.chart .axis-title, svg.chart .legend { font-size: 12px; }
        svg.chart .frame { fill: none; stroke: #444; }
        svg.chart .grid { stroke: #ddd; }
        svg.chart .reference { stroke: #555; stroke-width: 1.5; }
        svg.chart .reference-label { font-size: 11px; fill: #555; }
        """;

    private HtmlPage()
    {
    }

    static String render(final String preset, final String description, final List<RunResult> runs)
    {
        final String title = "Roundtable benchmark: " + preset;
        final StringBuilder out = new StringBuilder(64 * 1024)
            .append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>")
            .append(Markup.escape(title)).append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n")
            .append("<body>\n<h1>").append(Markup.escape(title)).append("</h1>\n")
            .append("<p class=\"description\">").append(Markup.escape(description)).append("</p>\n")
            .append("<p>Raw data: <a href=\"summary.csv\">summary.csv</a>, <a href=\"summary.json\">summary.json</a>, ")
            .append("and one HdrHistogram <code>.hgrm</code> file per run and site (linked from the site names).</p>\n")
            .append("<h2>Summary</h2>\n");
        SummaryTable.render(out, runs);

        out.append("<h2>Latency by percentile</h2>\n");
        if (runs.isEmpty())
        {
            out.append("<p>No runs.</p>\n");
        }
        for (final Map.Entry<String, List<RunResult>> site : runsBySite(runs).entrySet())
        {
            out.append(PercentileChart.svg(site.getKey(), site.getValue(), sitesNamed(site.getKey(), site.getValue())));
        }

        out.append("<h2>Throughput over time</h2>\n").append(ThroughputChart.svg(runs));

        if (TimelineChart.applies(runs))
        {
            out.append("<h2>Latency and messages per command over time</h2>\n")
                .append("<p>Per run: <code>timeline-&lt;run&gt;.csv</code>.</p>\n")
                .append(TimelineChart.latencySvg(runs)).append(TimelineChart.messagesSvg(runs));
        }

        final String fastPath = FastPathChart.svg(runs);
        if (null != fastPath)
        {
            out.append("<h2>Fast path vs conflict rate</h2>\n").append(fastPath);
        }

        return out.append("</body>\n</html>\n").toString();
    }

    /**
     * Site names in first-seen order, each with the runs that measured it: presets mixing cluster sizes (3 and 5
     * replicas on a LAN) have sites that only some runs have.
     */
    private static Map<String, List<RunResult>> runsBySite(final List<RunResult> runs)
    {
        final Map<String, List<RunResult>> bySite = new LinkedHashMap<>();
        for (final RunResult run : runs)
        {
            for (final SiteResult site : run.sites())
            {
                final List<RunResult> siteRuns = bySite.computeIfAbsent(site.site(), (key) -> new ArrayList<>());
                if (!siteRuns.contains(run))
                {
                    siteRuns.add(run);
                }
            }
        }

        return bySite;
    }

    private static List<SiteResult> sitesNamed(final String name, final List<RunResult> runs)
    {
        final List<SiteResult> sites = new ArrayList<>(runs.size());
        for (final RunResult run : runs)
        {
            for (final SiteResult site : run.sites())
            {
                if (site.site().equals(name))
                {
                    sites.add(site);
                    break;
                }
            }
        }

        return sites;
    }
}
