package io.roundtable.tools;

import io.roundtable.bench.cluster.Preset;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every preset of {@code bench run} in its smoke size (seconds): it runs on the real runtime (or the simulator) and
 * writes a complete, well-formed report. Its numbers are not checked: benchmarks report, tests assert behaviour.
 */
class BenchPresetsSmokeTest
{
    @TempDir
    Path reports;

    @ParameterizedTest
    @EnumSource(Preset.class)
    void presetWritesAWellFormedReport(final Preset preset) throws IOException
    {
        final CliHarness cli = new CliHarness();
        final Path folder = reports.resolve(preset.presetName());

        final int exitCode = cli.run("bench", "run", preset.presetName(), "--smoke", "--protocols",
            preset.simulated() ? "atlas,epaxos" : "epaxos,tempo", "--out", folder.toString());

        assertEquals(0, exitCode, () -> cli.out() + "\n" + cli.err());
        final List<String> csv = Files.readAllLines(folder.resolve("summary.csv"));
        assertTrue(csv.size() >= 3, "a header and a row per run and site: " + csv);
        final long columns = csv.get(0).chars().filter((c) -> c == ',').count();
        for (final String row : csv)
        {
            assertEquals(columns, row.chars().filter((c) -> c == ',').count(), "same columns: " + row);
        }
        assertTrue(csv.stream().skip(1).anyMatch((row) -> row.contains("epaxos")), csv.toString());

        final String json = Files.readString(folder.resolve("summary.json")).trim();
        assertTrue(json.startsWith("{") || json.startsWith("["), json);
        assertEquals(count(json, '{'), count(json, '}'), "balanced braces");
        assertEquals(count(json, '['), count(json, ']'), "balanced brackets");

        final String html = Files.readString(folder.resolve("index.html"));
        assertTrue(html.contains("<svg") && html.contains("</html>"), "a page with charts");
        assertEquals(html.split("<svg", -1).length, html.split("</svg>", -1).length, "every chart closed");
        assertTrue(html.contains(preset.presetName()), "names its preset");

        try (Stream<Path> files = Files.list(folder))
        {
            final List<Path> histograms = files.filter((f) -> f.toString().endsWith(".hgrm")).toList();
            assertEquals(csv.size() - 1, histograms.size(), "one .hgrm per run and site");
            for (final Path histogram : histograms)
            {
                assertTrue(Files.readString(histogram).contains("#[Mean"), histogram + " is an HdrHistogram file");
            }
        }
        if (!preset.simulated())
        {
            assertTimelines(preset, folder, json, html);
        }
    }

    /** Every runtime run writes its timeline; straggler-switch's page and summary show the switch. */
    private static void assertTimelines(final Preset preset, final Path folder, final String json, final String html)
        throws IOException
    {
        for (final String protocol : List.of("epaxos", "tempo"))
        {
            try (Stream<Path> files = Files.list(folder))
            {
                final List<Path> timelines = files.filter((f) -> f.getFileName().toString().startsWith(
                    "timeline-" + protocol)).toList();
                assertTrue(!timelines.isEmpty(), "a timeline per " + protocol + " run");
                for (final Path timeline : timelines)
                {
                    final List<String> rows = Files.readAllLines(timeline);
                    assertEquals("bucket_start_ms,commands,p50_ms,p99_ms,max_ms,messages_per_command", rows.get(0));
                    assertTrue(rows.size() > 10, timeline + " has a row per 100 ms");
                    for (final String row : rows)
                    {
                        assertEquals(5, row.chars().filter((c) -> c == ',').count(), timeline + ": " + row);
                    }
                }
            }
        }
        if (preset == Preset.STRAGGLER_SWITCH)
        {
            assertTrue(html.contains("Latency and messages per command over time"), "the timeline charts");
            assertTrue(json.contains("\"p50BeforeMs\"") && json.contains("\"messagesPerCommandAfter\""),
                "before/after figures around the switch");
        }
    }

    private static long count(final String text, final char c)
    {
        return text.chars().filter((x) -> x == c).count();
    }
}
