package io.roundtable.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes a benchmark report folder from a preset's runs:
 * <ul>
 *     <li>{@code <label>-<site>.hgrm}: each run's latency distribution at each site, HdrHistogram's percentile
 *     text format in milliseconds;</li>
 *     <li>{@code summary.csv} and {@code summary.json}: a row (object) per run and site with throughput, fast path,
 *     recoveries, GC, allocation and latency percentiles beside the site's optimum; the JSON adds the per-second
 *     throughput;</li>
 *     <li>{@code index.html}: the summary table and SVG charts (latency by percentile per site, throughput over time,
 *     fast path vs conflict rate), readable offline.</li>
 * </ul>
 * The files are a pure function of the runs (no clock, no host name), so two reports of the same results compare
 * byte for byte.
 */
public final class ReportWriter
{
    public static final String SUMMARY_CSV = "summary.csv";
    public static final String SUMMARY_JSON = "summary.json";
    public static final String INDEX_HTML = "index.html";

    private ReportWriter()
    {
    }

    /**
     * @param folder      where to write; created with its parents if missing, files of an earlier report replaced.
     * @param preset      the preset's name, e.g. {@code wan-epaxos}.
     * @param description what was run and how, for the reader of the page (free text, escaped).
     * @param runs        the runs in the order to list and plot them; labels unique within the report.
     * @throws IOException if a file cannot be written.
     * @throws IllegalArgumentException if two runs share a label, or a run names a site twice, so that two .hgrm
     *                                  files would collide.
     */
    public static void write(
        final Path folder, final String preset, final String description, final List<RunResult> runs)
        throws IOException
    {
        checkFileNamesUnique(runs);
        Files.createDirectories(folder);
        for (final RunResult run : runs)
        {
            HgrmFiles.write(folder, run);
            TimelineFiles.write(folder, run);
        }
        Files.writeString(folder.resolve(SUMMARY_CSV), SummaryCsv.render(preset, runs), StandardCharsets.UTF_8);
        Files.writeString(
            folder.resolve(SUMMARY_JSON), SummaryJson.render(preset, description, runs), StandardCharsets.UTF_8);
        Files.writeString(
            folder.resolve(INDEX_HTML), HtmlPage.render(preset, description, runs), StandardCharsets.UTF_8);
    }

    /**
     * @return the name of the .hgrm file {@link #write} gives this run's site, for a runner that links or prints it.
     */
    public static String hgrmFileName(final RunResult run, final SiteResult site)
    {
        return HgrmFiles.fileName(run, site);
    }

    private static void checkFileNamesUnique(final List<RunResult> runs)
    {
        final Set<String> names = new HashSet<>();
        for (final RunResult run : runs)
        {
            for (final SiteResult site : run.sites())
            {
                if (!names.add(HgrmFiles.fileName(run, site)))
                {
                    throw new IllegalArgumentException("two runs or sites would both write " +
                        HgrmFiles.fileName(run, site) + ": give each run a unique label (" + run.label() + ")");
                }
            }
        }
    }
}
