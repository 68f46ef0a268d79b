package io.roundtable.tools;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the {@code roundtable} command line in-process as a user would, keeping what it prints. */
final class CliHarness
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** @return the exit code. */
    int run(final String... args)
    {
        final CommandLine commandLine = RoundtableCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    String out()
    {
        return out.toString();
    }

    String err()
    {
        return err.toString();
    }
}
