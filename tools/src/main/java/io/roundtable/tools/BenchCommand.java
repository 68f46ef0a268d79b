package io.roundtable.tools;

import io.roundtable.bench.cluster.BenchmarkRunner;
import io.roundtable.bench.cluster.Preset;
import io.roundtable.config.ProtocolName;
import io.roundtable.config.TopologyException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code bench run <preset>}: the cluster benchmark presets, each writing a report folder with plots. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
        "Runs a named cluster benchmark and writes its report: raw .hgrm latency files per run and site,",
        "summary.csv, summary.json and index.html with plots. Presets (bench list describes them):",
        "lan-throughput, wan-epaxos, wan-tempo-tail, scale-sites, straggler-switch."},
    subcommands = {BenchCommand.Run.class, BenchCommand.ListPresets.class})
public final class BenchCommand
{
    /** {@code bench run <preset>}. */
    @Command(name = "run", mixinStandardHelpOptions = true, description = "Runs one preset and writes its report.")
    static final class Run implements Callable<Integer>
    {
        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", description = "The preset: lan-throughput, wan-epaxos, wan-tempo-tail, scale-sites or straggler-switch.")
        private String preset;

        @Option(names = "--protocols", split = ",",
            description = "Protocols to compare, one after the other, same workload and seed (default: the preset's; all four for most).")
        private List<String> protocols;

        @Option(names = "--smoke", description = "Seconds instead of minutes: checks the preset runs and reports, not its numbers.")
        private boolean smoke;

        @Option(names = "--out", description = "Report folder (default: bench-reports/<preset>).")
        private Path out;

        public Integer call()
        {
            final Preset chosen;
            final List<ProtocolName> names = new ArrayList<>();
            try
            {
                chosen = Preset.fromName(preset);
                if (null == protocols)
                {
                    names.addAll(chosen.defaultProtocols());
                }
                else
                {
                    for (final String protocol : protocols)
                    {
                        names.add(ProtocolName.fromName(protocol));
                    }
                }
            }
            catch (final IllegalArgumentException | TopologyException ex)
            {
                throw new ParameterException(spec.commandLine(), ex.getMessage());
            }
            final Path folder = null != out ? out : Path.of("bench-reports", chosen.presetName());
            final PrintWriter log = spec.commandLine().getOut();
            new BenchmarkRunner(log).run(chosen, names, smoke, folder);
            return 0;
        }
    }

    /** {@code bench list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the presets and what each measures.")
    static final class ListPresets implements Callable<Integer>
    {
        @Spec
        private CommandSpec spec;

        public Integer call()
        {
            final PrintWriter out = spec.commandLine().getOut();
            for (final Preset preset : Preset.values())
            {
                out.printf("%-18s %s%n", preset.presetName(), preset.description());
            }
            out.flush();
            return 0;
        }
    }
}
