package io.roundtable.bench.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The raw latency distributions, one HdrHistogram percentile-distribution text file per run and site, in
 * milliseconds, so the standard HdrHistogram plotters (and anyone comparing with another system's {@code .hgrm})
 * read them as they are. HdrHistogram prints as many decimals as the histogram keeps significant digits, so a
 * 3-digit histogram's file resolves 1 µs: enough for LAN medians of a few hundred µs.
 */
final class HgrmFiles
{
    /** Percentile ticks per half distance, as HdrHistogram's own tools default to. */
    static final int PERCENTILE_TICKS_PER_HALF_DISTANCE = 5;

    private HgrmFiles()
    {
    }

    /**
     * @return {@code <label>-<site>.hgrm}, with anything but letters, digits, dot, dash and underscore replaced by
     * an underscore: labels are meant to be file-name safe, but a site name or a hand-written label must not be able
     * to write outside the report folder.
     */
    static String fileName(final RunResult run, final SiteResult site)
    {
        return safe(run.label()) + "-" + safe(site.site()) + ".hgrm";
    }

    static void write(final Path folder, final RunResult run) throws IOException
    {
        for (final SiteResult site : run.sites())
        {
            try (OutputStream out = Files.newOutputStream(folder.resolve(fileName(run, site)));
                PrintStream print = new PrintStream(out, false, StandardCharsets.UTF_8))
            {
                site.latencyNs().outputPercentileDistribution(
                    print, PERCENTILE_TICKS_PER_HALF_DISTANCE, LatencyFigures.NANOS_PER_MS);
                print.flush();
                if (print.checkError())
                {
                    throw new IOException("could not write " + fileName(run, site));
                }
            }
        }
    }

    static String safe(final String name)
    {
        final StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            final boolean kept = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '-' || c == '_';
            out.append(kept ? c : '_');
        }

        return out.toString();
    }
}
