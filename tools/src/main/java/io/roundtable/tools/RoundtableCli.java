package io.roundtable.tools;

import io.aeron.exceptions.ConfigurationException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code roundtable} command line. */
@Command(
    name = "roundtable",
    mixinStandardHelpOptions = true,
    version = "roundtable 0.1.0",
    description = "Leaderless state-machine replication over Aeron: run a cluster, load it, inspect it, simulate it.",
    subcommands = {
        ClusterCommand.class, ReplicaCommand.class, LoadCommand.class, StatCommand.class, JournalCommand.class,
        SimulateCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class RoundtableCli
{
    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine()
    {
        return new CommandLine(new RoundtableCli()).setExecutionExceptionHandler(RoundtableCli::onConfigurationError);
    }

    /** A bad topology file or setting is the user's to fix: say what is wrong, no stack trace, exit code 2. */
    private static int onConfigurationError(
        final Exception ex, final CommandLine commandLine, final CommandLine.ParseResult parseResult) throws Exception
    {
        if (ex instanceof ConfigurationException)
        {
            final String message = String.valueOf(ex.getMessage()).replaceFirst("^ERROR - ", "");
            commandLine.getErr().println(commandLine.getColorScheme().errorText("error: " + message));
            commandLine.getErr().flush();
            return 2;
        }
        throw ex;
    }
}
