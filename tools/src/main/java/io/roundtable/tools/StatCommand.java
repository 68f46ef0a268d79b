package io.roundtable.tools;

import io.aeron.Aeron;
import io.aeron.CncFileDescriptor;
import io.roundtable.runtime.ReplicaCounter;
import org.agrona.concurrent.status.CountersReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.File;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/** Prints the counters of running replicas, read from their media drivers' counters files. */
@Command(
    name = "stat",
    mixinStandardHelpOptions = true,
    description = {
        "Prints the counters of the replicas running on this host: commands proposed and executed,",
        "fast/slow path, recoveries, messages, back pressure, malformed input, journal bytes, Tempo's",
        "stability wait (count, total and longest, in ns). Reads",
        "the drivers' counters (as Aeron's AeronStat does) of every /dev/shm/roundtable-* directory,",
        "or of the --aeron-dir ones."})
public final class StatCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--aeron-dir", description = "A media driver directory to read (repeatable; default: every /dev/shm/roundtable-*).")
    private List<String> aeronDirs = new ArrayList<>();

    public Integer call()
    {
        final List<String> directories = aeronDirs.isEmpty() ? discover() : aeronDirs;
        if (directories.isEmpty())
        {
            throw new ParameterException(spec.commandLine(),
                "no running Roundtable driver found under /dev/shm: start one (roundtable replica / cluster) or pass --aeron-dir");
        }
        final PrintWriter out = spec.commandLine().getOut();
        int found = 0;
        for (final String directory : directories)
        {
            try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(directory).driverTimeoutMs(2_000)))
            {
                found += print(out, directory, aeron.countersReader());
            }
            catch (final RuntimeException ex)
            {
                out.printf("%s: no running media driver (%s)%n", directory, ex.getMessage());
            }
        }
        out.flush();
        return found > 0 ? 0 : 1;
    }

    private static int print(final PrintWriter out, final String directory, final CountersReader counters)
    {
        final TreeSet<Integer> replicas = new TreeSet<>();
        counters.forEach((counterId, typeId, key, label) ->
        {
            if (null != ReplicaCounter.ofTypeId(typeId))
            {
                replicas.add(key.getInt(0));
            }
        });
        out.printf("%s: %s%n", directory, replicas.isEmpty() ? "no Roundtable replica" : "replicas " + replicas);
        if (!replicas.isEmpty())
        {
            final int maxId = replicas.last();
            ClusterCommand.printReplicaCounters(out, counters, maxId + 1);
        }
        return replicas.size();
    }

    private static List<String> discover()
    {
        final List<String> directories = new ArrayList<>();
        final File[] candidates = new File("/dev/shm").listFiles(
            (file) -> file.getName().startsWith("roundtable-") && new File(file, CncFileDescriptor.CNC_FILE).exists());
        if (null != candidates)
        {
            for (final File candidate : candidates)
            {
                directories.add(candidate.getAbsolutePath());
            }
        }
        directories.sort(String::compareTo);
        return directories;
    }
}
