package io.roundtable.bench.report;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportWriterTest
{
    private static final String[] LAN_SITES = {"replica-0", "replica-1", "replica-2"};
    private static final double[] NO_OPTIMA = {Double.NaN, Double.NaN, Double.NaN};
    private static final String DESCRIPTION = "line one\n\"quoted\" <script>alert(1)</script> \u0001 & more";
    private static final String HOSTILE_LABEL = "tempo<&>";

    @TempDir
    Path temp;

    private static List<RunResult> lanRuns()
    {
        final List<RunResult> runs = new ArrayList<>();
        runs.add(SyntheticRuns.run("epaxos-n3-c0", "epaxos", 0, LAN_SITES, NO_OPTIMA, 5_000, 1));
        runs.add(SyntheticRuns.run("atlas-n3-c2", "atlas", 0.02, LAN_SITES, NO_OPTIMA, 5_000, 2));
        final RunResult hostile = SyntheticRuns.run(HOSTILE_LABEL, "tempo", 1.0, LAN_SITES, NO_OPTIMA, 5_000, 3);
        runs.add(new RunResult(hostile.label(), hostile.protocol(), hostile.replicas(), hostile.conflictRate(),
            50_000, hostile.measuredSeconds(), hostile.commands(), Double.NaN, hostile.recoveries(), Double.NaN, 0.75,
            hostile.gcCount(), hostile.gcPauseMs(), Double.NaN, hostile.throughputPerSecond(), hostile.sites(), null));

        return runs;
    }

    private Path writeLanReport() throws Exception
    {
        final Path folder = temp.resolve("nested/report");
        ReportWriter.write(folder, "lan-throughput", DESCRIPTION, lanRuns());
        return folder;
    }

    @Test
    void writesEveryFileIntoAFolderItCreates() throws Exception
    {
        final Path folder = writeLanReport();
        final List<RunResult> runs = lanRuns();

        for (final String name : new String[]{"summary.csv", "summary.json", "index.html"})
        {
            assertTrue(Files.size(folder.resolve(name)) > 0, name);
        }
        for (final RunResult run : runs)
        {
            for (final SiteResult site : run.sites())
            {
                assertTrue(Files.isRegularFile(folder.resolve(ReportWriter.hgrmFileName(run, site))));
            }
        }
        assertTrue(Files.isRegularFile(folder.resolve("tempo___-replica-0.hgrm")), "unsafe characters replaced");
        try (var files = Files.list(folder))
        {
            assertEquals(3 + 3 * 3, files.count());
        }
    }

    @Test
    void eachHgrmFileIsTheSitesDistributionInMilliseconds() throws Exception
    {
        final Path folder = writeLanReport();

        for (final RunResult run : lanRuns())
        {
            for (final SiteResult site : run.sites())
            {
                final List<String> lines = Files.readAllLines(folder.resolve(ReportWriter.hgrmFileName(run, site)));
                final Histogram histogram = site.latencyNs();
                assertTrue(lines.get(0).trim().startsWith("Value"), lines.get(0));
                assertTrue(lines.stream().anyMatch((line) -> line.startsWith("#[Mean")), "mean footer");
                assertTrue(lines.stream().anyMatch((line) -> line.startsWith("#[Max") &&
                    line.replace(" ", "").endsWith("Totalcount=" + histogram.getTotalCount() + "]")), "count");

                final String median = lines.stream()
                    .filter((line) -> line.trim().matches("[0-9.]+ +[0-9.]+ +[0-9]+ +([0-9.]+|inf)"))
                    .filter((line) -> Double.parseDouble(line.trim().split("\\s+")[1]) == 0.5)
                    .findFirst().orElseThrow();
                final double medianMs = Double.parseDouble(median.trim().split("\\s+")[0]);
                // HdrHistogram prints as many decimals as the histogram has significant digits: 3 here, 1 µs
                assertEquals(histogram.getValueAtPercentile(50.0) / 1e6, medianMs, 0.0005 + 1e-9);
            }
        }
    }

    @Test
    void summaryCsvHasAHeaderAndOneRowPerRunAndSite() throws Exception
    {
        final List<String> lines = Files.readAllLines(writeLanReport().resolve("summary.csv"));
        final List<RunResult> runs = lanRuns();

        assertEquals(1 + 3 * 3, lines.size());
        final List<String> header = csvCells(lines.get(0));
        assertEquals(22, header.size());
        assertEquals("p50_over_optimum", header.get(19));
        assertEquals(List.of("deps_per_instance", "stability_wait_ms"), header.subList(20, 22));
        for (final String line : lines.subList(1, lines.size()))
        {
            assertEquals(header.size(), csvCells(line).size(), line);
        }

        final List<String> first = csvCells(lines.get(1));
        final LatencyFigures figures = LatencyFigures.of(runs.get(0).sites().get(0));
        assertEquals("lan-throughput", first.get(0));
        assertEquals("epaxos-n3-c0", first.get(1));
        assertEquals("replica-0", first.get(12));
        assertEquals(figures.p50Ms(), Double.parseDouble(first.get(13)), 0.0005);
        assertEquals(figures.p999Ms(), Double.parseDouble(first.get(16)), 0.0005);
        assertEquals("", first.get(18), "no optimum on a LAN");
        assertEquals("", first.get(19), "so no ratio either");

        final List<String> hostile = csvCells(lines.get(7));
        assertEquals(HOSTILE_LABEL, hostile.get(1));
        assertEquals("", hostile.get(7), "unknown fast path");
        assertEquals("", hostile.get(11), "unknown allocation");
        assertEquals("", hostile.get(20), "tempo: no dependency lists");
        assertEquals("0.750", hostile.get(21), "tempo's stability wait");
        assertEquals(runs.get(0).dependenciesPerInstance(), Double.parseDouble(first.get(20)), 0.005);
        assertEquals("50000", hostile.get(5));
    }

    @Test
    void summaryJsonIsStrictJsonWithTheSameFigures() throws Exception
    {
        final String json = Files.readString(writeLanReport().resolve("summary.json"));
        final List<RunResult> runs = lanRuns();

        final Map<?, ?> root = (Map<?, ?>)StrictJson.parse(json);
        assertEquals("lan-throughput", root.get("preset"));
        assertEquals(DESCRIPTION, root.get("description"));
        final List<?> jsonRuns = (List<?>)root.get("runs");
        assertEquals(runs.size(), jsonRuns.size());
        for (int r = 0; r < runs.size(); r++)
        {
            final Map<?, ?> jsonRun = (Map<?, ?>)jsonRuns.get(r);
            final RunResult run = runs.get(r);
            assertEquals(run.label(), jsonRun.get("label"));
            final List<?> throughput = (List<?>)jsonRun.get("throughputPerSecond");
            assertEquals(Arrays.stream(run.throughputPerSecond()).mapToObj((v) -> (double)v).toList(), throughput);
            final List<?> sites = (List<?>)jsonRun.get("sites");
            assertEquals(run.sites().size(), sites.size());
            final Map<?, ?> site = (Map<?, ?>)sites.get(1);
            assertEquals(LatencyFigures.of(run.sites().get(1)).p99Ms(), (Double)site.get("p99Ms"), 1e-12);
            assertEquals(StrictJson.NULL, site.get("optimumMs"));
        }
        assertEquals(StrictJson.NULL, ((Map<?, ?>)jsonRuns.get(2)).get("fastPathRatio"));
    }

    @Test
    void strictJsonRejectsWhatTheWriterMustNeverProduce()
    {
        for (final String bad : new String[]{"{\"a\": NaN}", "[1,]", "{\"a\": 1} x", "\"\u0001\"", "{'a': 1}", "01"})
        {
            assertThrows(IllegalArgumentException.class, () -> StrictJson.parse(bad), bad);
        }
    }

    @Test
    void indexHtmlIsWellFormedWithOneLinePerRunInEachPercentileChart() throws Exception
    {
        final String html = Files.readString(writeLanReport().resolve("index.html"));

        assertEquals(count(html, "<svg"), count(html, "</svg>"));
        final Document page = parseXml(html);
        final List<Element> percentileCharts = charts(page, "Latency by percentile at ");
        assertEquals(LAN_SITES.length, percentileCharts.size());
        for (final Element chart : percentileCharts)
        {
            assertEquals(3, chart.getElementsByTagName("polyline").getLength());
            for (int i = 0; i < 3; i++)
            {
                final String points = ((Element)chart.getElementsByTagName("polyline").item(i)).getAttribute("points");
                assertTrue(points.split(" ").length > 10, "a distribution, not a point: " + points);
            }
            assertEquals(List.of("0%", "90%", "99%", "99.9%", "99.99%"), xTickLabels(chart));
            assertTrue(chart.getTextContent().contains("latency (ms)"));
        }
        assertEquals(3, charts(page, "Throughput over time").get(0).getElementsByTagName("polyline").getLength());
        final List<Element> fastPath = charts(page, "Fast path vs conflict rate");
        assertEquals(1, fastPath.size(), "three conflict rates");
        assertEquals(2, fastPath.get(0).getElementsByTagName("polyline").getLength(),
            "a line per protocol whose fast path is known (not tempo's)");
    }

    @Test
    void textFromRunsAndDescriptionIsEscaped() throws Exception
    {
        final String html = Files.readString(writeLanReport().resolve("index.html"));

        assertFalse(html.contains(HOSTILE_LABEL));
        assertFalse(html.contains("<script"));
        assertTrue(html.contains("tempo&lt;&amp;&gt;"));
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assertFalse(html.contains("\u0001"));
        assertFalse(html.contains("http://") && html.replace("http://www.w3.org/2000/svg", "").contains("http"),
            "nothing fetched from elsewhere");
    }

    @Test
    void fastPathChartNeedsTwoConflictRates() throws Exception
    {
        final List<RunResult> runs = List.of(
            SyntheticRuns.run("epaxos", "epaxos", 0.02, LAN_SITES, NO_OPTIMA, 1_000, 1),
            SyntheticRuns.run("atlas", "atlas", 0.02, LAN_SITES, NO_OPTIMA, 1_000, 2));
        ReportWriter.write(temp, "one-rate", "", runs);
        final String html = Files.readString(temp.resolve("index.html"));

        assertFalse(html.contains("Fast path vs conflict rate"));
        assertEquals(LAN_SITES.length + 1, count(html, "<svg"));
    }

    @Test
    void wanReportMarksMediansAgainstTheirOptimum() throws Exception
    {
        final List<RunResult> runs = SyntheticRuns.wanEpaxos(2_000);
        ReportWriter.write(temp, "wan-epaxos", "sample", runs);
        final Document page = parseXml(Files.readString(temp.resolve("index.html")));

        final List<Element> percentileCharts = charts(page, "Latency by percentile at ");
        assertEquals(SyntheticRuns.EPAXOS_SITES.length, percentileCharts.size());
        for (final Element chart : percentileCharts)
        {
            assertEquals(runs.size(), chart.getElementsByTagName("polyline").getLength());
        }
        assertEquals("optimum 70.5 ms", referenceLabel(percentileCharts.get(0)));
        assertEquals("optimum 181.3 ms", referenceLabel(percentileCharts.get(4)));
        final String csv = Files.readString(temp.resolve("summary.csv"));
        final List<String> first = csvCells(csv.lines().skip(1).findFirst().orElseThrow());
        assertEquals("70.500", first.get(18));
        assertEquals(LatencyFigures.of(runs.get(0).sites().get(0)).p50Ms() / 70.5, Double.parseDouble(first.get(19)),
            1e-4);
    }

    @Test
    void lanChartsHaveNoOptimumLine() throws Exception
    {
        final Document page = parseXml(Files.readString(writeLanReport().resolve("index.html")));

        for (final Element chart : charts(page, "Latency by percentile at "))
        {
            assertEquals("", referenceLabel(chart));
        }
    }

    @Test
    void aTimelineWithASwitchIsWrittenChartedAndSummarizedAroundIt() throws Exception
    {
        final RunResult base = SyntheticRuns.run("switch", "epaxos", 0.02, LAN_SITES, NO_OPTIMA, 1_000, 1);
        // 4 s in 100 ms buckets: 0.3 ms before the switch at 2 s, a 5 s fail-over bucket, 22 ms after
        final int buckets = 40;
        final long[] commands = new long[buckets];
        final double[] p50 = new double[buckets];
        final double[] p99 = new double[buckets];
        final double[] max = new double[buckets];
        for (int i = 0; i < buckets; i++)
        {
            commands[i] = i == 25 ? 0 : 100;
            p50[i] = i == 25 ? Double.NaN : i < 20 ? 0.3 : 22;
            p99[i] = i == 25 ? Double.NaN : i == 21 ? 5_000 : i < 20 ? 1 : 24;
            max[i] = p99[i];
        }
        final Timeline timeline = new Timeline(100, commands, p50, p99, max, new double[] {3, 3, 9, 2}, 2,
            "replica 2 stopped");
        final RunResult run = new RunResult(base.label(), base.protocol(), base.replicas(), base.conflictRate(), 0,
            base.measuredSeconds(), base.commands(), base.fastPathRatio(), 0, 1.5, Double.NaN, 0, 0, Double.NaN,
            base.throughputPerSecond(), base.sites(), timeline);
        ReportWriter.write(temp, "straggler-switch", "", List.of(run));

        final List<String> rows = Files.readAllLines(temp.resolve("timeline-switch.csv"));
        assertEquals(1 + buckets, rows.size());
        assertEquals("0,100,0.300,1.000,1.000,3.00", rows.get(1));
        assertEquals("2500,0,,,,9.00", rows.get(26), "an empty bucket has no latencies");
        final String json = Files.readString(temp.resolve("summary.json"));
        assertTrue(json.contains("\"p50BeforeMs\": 0.3") && json.contains("\"p50AfterMs\": 22.0"), json);
        assertTrue(json.contains("\"worstBucketP99Ms\": 5000.0"), json);
        assertTrue(json.contains("\"messagesPerCommandBefore\": 3.0") &&
            json.contains("\"messagesPerCommandAfter\": 2.0"), json);
        final String html = Files.readString(temp.resolve("index.html"));
        assertTrue(html.contains("clipped at 96 ms") && html.contains("replica 2 stopped"), "the fail-over is clipped");
        assertFalse(html.contains("NaN"), "unknown points are left out");
        parseXml(html.substring(html.indexOf("<svg", html.indexOf("Latency and messages")),
            html.indexOf("</svg>", html.indexOf("Latency and messages")) + 6));
    }

    @Test
    void aSiteThatMeasuredNothingLeavesItsFiguresEmpty() throws Exception
    {
        final RunResult measured = SyntheticRuns.run("measured", "epaxos", 0, LAN_SITES, NO_OPTIMA, 1_000, 1);
        final List<SiteResult> sites = new ArrayList<>(measured.sites());
        sites.set(1, new SiteResult("replica-1", new Histogram(3), 2.5));
        final RunResult partly = new RunResult("partly", "epaxos", 3, 0, 0, 0, 0, Double.NaN, 0, Double.NaN,
            Double.NaN, 0, 0, Double.NaN,
            new long[0], sites, null);
        ReportWriter.write(temp, "partly", "", List.of(measured, partly));

        final List<String> lines = Files.readAllLines(temp.resolve("summary.csv"));
        final List<String> empty = csvCells(lines.get(5));
        assertEquals("replica-1", empty.get(12));
        assertEquals(List.of("", "", "", "", "", "2.500", ""), empty.subList(13, 20));
        assertEquals("0.0", empty.get(6), "no window, no throughput");
        assertTrue(Files.readAllLines(temp.resolve("partly-replica-1.hgrm")).stream()
            .anyMatch((line) -> line.startsWith("#[Mean")));
        final Map<?, ?> json = (Map<?, ?>)StrictJson.parse(Files.readString(temp.resolve("summary.json")));
        final Map<?, ?> emptySite = (Map<?, ?>)((List<?>)((Map<?, ?>)((List<?>)json.get("runs")).get(1)).get("sites"))
            .get(1);
        assertEquals(StrictJson.NULL, emptySite.get("p50Ms"));
        assertEquals(0.0, emptySite.get("count"));
        final Document page = parseXml(Files.readString(temp.resolve("index.html")));
        assertEquals(2, charts(page, "Latency by percentile at replica-1").get(0)
            .getElementsByTagName("polyline").getLength());
    }

    @Test
    void rejectsRunsThatWouldOverwriteEachOthersFiles()
    {
        final List<RunResult> runs = List.of(
            SyntheticRuns.run("same", "epaxos", 0, LAN_SITES, NO_OPTIMA, 10, 1),
            SyntheticRuns.run("same", "atlas", 0, LAN_SITES, NO_OPTIMA, 10, 2));

        assertThrows(IllegalArgumentException.class, () -> ReportWriter.write(temp, "dup", "", runs));
    }

    @Test
    void anEmptyReportIsStillWellFormed() throws Exception
    {
        ReportWriter.write(temp, "empty", "", List.of());

        parseXml(Files.readString(temp.resolve("index.html")));
        StrictJson.parse(Files.readString(temp.resolve("summary.json")));
        assertEquals(List.of(SummaryCsv.HEADER), Files.readAllLines(temp.resolve("summary.csv")));
    }

    /** The text of the chart's dashed reference line, empty if it has none. */
    private static String referenceLabel(final Element chart)
    {
        final NodeList texts = chart.getElementsByTagName("text");
        for (int i = 0; i < texts.getLength(); i++)
        {
            final Element text = (Element)texts.item(i);
            if ("reference-label".equals(text.getAttribute("class")))
            {
                return text.getTextContent();
            }
        }

        return "";
    }

    /** Tick labels under the x axis, told from the y axis's by their centred anchor. */
    private static List<String> xTickLabels(final Element chart)
    {
        final List<String> labels = new ArrayList<>();
        final NodeList texts = chart.getElementsByTagName("text");
        for (int i = 0; i < texts.getLength(); i++)
        {
            final Element text = (Element)texts.item(i);
            if ("tick".equals(text.getAttribute("class")) && "middle".equals(text.getAttribute("text-anchor")))
            {
                labels.add(text.getTextContent());
            }
        }

        return labels;
    }

    private static List<Element> charts(final Document page, final String titlePrefix)
    {
        final List<Element> charts = new ArrayList<>();
        final NodeList svgs = page.getElementsByTagName("svg");
        for (int i = 0; i < svgs.getLength(); i++)
        {
            final Element svg = (Element)svgs.item(i);
            if (svg.getAttribute("aria-label").startsWith(titlePrefix))
            {
                charts.add(svg);
            }
        }

        return charts;
    }

    private static Document parseXml(final String html) throws Exception
    {
        final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        final DocumentBuilder builder = factory.newDocumentBuilder();
        builder.setErrorHandler(null);

        return builder.parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    }

    private static int count(final String text, final String part)
    {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length()))
        {
            count++;
        }

        return count;
    }

    /** RFC 4180 cells of one line (no line breaks inside cells in these tests). */
    private static List<String> csvCells(final String line)
    {
        final List<String> cells = new ArrayList<>();
        final StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++)
        {
            final char c = line.charAt(i);
            if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"')
            {
                cell.append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                cells.add(cell.toString());
                cell.setLength(0);
            }
            else
            {
                cell.append(c);
            }
        }
        cells.add(cell.toString());

        return cells;
    }
}
