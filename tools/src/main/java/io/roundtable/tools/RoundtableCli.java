package io.roundtable.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code roundtable} command line. */
@Command(
    name = "roundtable",
    mixinStandardHelpOptions = true,
    version = "roundtable 0.1.0",
    description = "Leaderless state-machine replication: run a simulated cluster (the real runtime comes next).",
    subcommands = {SimulateCommand.class, CommandLine.HelpCommand.class})
public final class RoundtableCli
{
    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine()
    {
        return new CommandLine(new RoundtableCli());
    }
}
