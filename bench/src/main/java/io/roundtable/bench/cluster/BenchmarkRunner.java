package io.roundtable.bench.cluster;

import io.roundtable.bench.report.ReportWriter;
import io.roundtable.bench.report.RunResult;
import io.roundtable.config.ProtocolName;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@link Preset}, one configuration after another (never two at once: they share two cores), and writes its
 * report folder: raw {@code .hgrm} per run and site, {@code summary.csv}, {@code summary.json}, {@code index.html}.
 */
public final class BenchmarkRunner
{
    private final PrintWriter log;

    public BenchmarkRunner(final PrintWriter log)
    {
        this.log = log;
    }

    /** @return the runs measured, in order; the report is in {@code reportFolder}. */
    public List<RunResult> run(
        final Preset preset, final List<ProtocolName> protocols, final boolean smoke, final Path reportFolder)
    {
        final List<RunSpec> specs = preset.runs(protocols, smoke);
        log.printf("preset %s%s: %d runs; %s%n", preset.presetName(), smoke ? " (smoke size)" : "", specs.size(),
            preset.description());
        log.flush();
        final List<RunResult> results = new ArrayList<>();
        for (final RunSpec spec : specs)
        {
            if (preset.simulated())
            {
                results.add(new SimulatedRun(log, preset.simulatedCommandsPerClient(smoke)).run(spec));
            }
            else if (preset == Preset.STRAGGLER_SWITCH)
            {
                results.add(new ClusterRun(log).run(spec, new StragglerSwitch(spec.measured().toSeconds())));
            }
            else
            {
                final RunResult closedLoop = new ClusterRun(log).run(spec, null);
                results.add(closedLoop);
                if (preset == Preset.LAN_THROUGHPUT && closedLoop.commandsPerSecond() >= 2)
                {
                    // latency at half the throughput the closed loop reached, with no coordinated omission
                    final long halfRate = Math.round(closedLoop.commandsPerSecond() / 2);
                    results.add(new ClusterRun(log).run(spec.withOfferedRate(halfRate), null));
                }
            }
        }
        try
        {
            ReportWriter.write(reportFolder, preset.presetName(), preset.description(), results);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write the report to " + reportFolder, ex);
        }
        log.printf("report written to %s%n", reportFolder.resolve("index.html"));
        log.flush();
        return results;
    }
}
