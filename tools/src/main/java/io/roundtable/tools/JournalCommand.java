package io.roundtable.tools;

import io.roundtable.journal.JournalPrinter;
import io.roundtable.journal.JournalProtocols;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Prints a replica's Chronicle Queue journal one readable line per record, to see what it promised before a crash. */
@Command(
    name = "journal",
    mixinStandardHelpOptions = true,
    description = {
        "Prints one replica's journal (its journal.dir/replica-<id> directory), one",
        "line per record: dot, status, ballots, seq, deps (Tempo: timestamp, proposal, votes)",
        "and the first commands. Damaged records print as 'unreadable' and the dump goes on;",
        "a summary line ends it, with the protocols whose journal it can be (EPaxos and Atlas",
        "journals may look alike). Exit code 2 when there is no journal at <directory>."})
public final class JournalCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<directory>", description = "The replica's journal directory.")
    private Path directory;

    @Option(names = "--from", defaultValue = "0",
        description = "First record to print, 0-based (default: ${DEFAULT-VALUE}).")
    private long from;

    @Option(names = "--limit", description = "Print at most this many records (default: all).")
    private long limit = Long.MAX_VALUE;

    public Integer call()
    {
        if (from < 0 || limit < 0)
        {
            throw new ParameterException(spec.commandLine(), "--from and --limit must be >= 0");
        }
        final PrintWriter out = spec.commandLine().getOut();
        final JournalPrinter printer = new JournalPrinter();
        try
        {
            final long records = printer.dump(directory, out::println, from, limit);
            out.println("records: " + records + ", bytes: " + printer.bytesPrinted() + ", protocol: " +
                ProtocolOption.names(JournalProtocols.of(directory, JournalProtocols.DEFAULT_MAX_RECORDS), " or "));
            out.flush();
            return 0;
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(spec.commandLine(), ex.getMessage(), ex);
        }
        catch (final IllegalStateException ex)
        {
            out.flush();
            spec.commandLine().getErr().println("cannot read the journal: " + ex.getMessage());
            return 2;
        }
    }
}
