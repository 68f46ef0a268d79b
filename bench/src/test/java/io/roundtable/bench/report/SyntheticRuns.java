package io.roundtable.bench.report;

import org.HdrHistogram.Histogram;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Made-up but plausible runs for the report tests and for looking at a sample report: each site's latency is its
 * optimum plus a conflict-dependent slow-path share and an exponential tail, drawn from a seeded random.
 * {@code main(folder)} writes a WAN-style sample report there.
 */
final class SyntheticRuns
{
    static final String[] EPAXOS_SITES = {"us-east-1", "us-west-1", "eu-west-1", "ap-northeast-1", "ap-southeast-1"};
    static final double[] EPAXOS_OPTIMA_MS = {70.5, 111.7, 141.1, 111.7, 181.3};

    private SyntheticRuns()
    {
    }

    static RunResult run(
        final String label,
        final String protocol,
        final double conflictRate,
        final String[] sites,
        final double[] optimaMs,
        final int commandsPerSite,
        final long seed)
    {
        final Random random = new Random(seed);
        final double fastPathRatio = Math.max(0, 1 - conflictRate * switch (protocol)
        {
            case "epaxos" -> 1.2;
            case "atlas" -> 0.7;
            default -> 0.5;
        });
        final List<SiteResult> results = new ArrayList<>(sites.length);
        for (int s = 0; s < sites.length; s++)
        {
            final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            final double base = Double.isNaN(optimaMs[s]) ? 0.4 : optimaMs[s];
            for (int i = 0; i < commandsPerSite; i++)
            {
                final boolean slow = random.nextDouble() > fastPathRatio;
                final double ms = base * (slow ? 1.9 : 1.0) * (1 + 0.02 * random.nextDouble()) -
                    Math.log(1 - random.nextDouble()) * base * 0.03;
                histogram.recordValue((long)(ms * 1e6));
            }
            results.add(new SiteResult(sites[s], histogram, optimaMs[s]));
        }

        final int seconds = 20;
        final long[] throughput = new long[seconds];
        long commands = 0;
        for (int i = 0; i < seconds; i++)
        {
            final double rampUp = Math.min(1, (i + 1) / 3.0);
            throughput[i] = (long)(commandsPerSite * sites.length / (double)seconds * rampUp *
                (0.95 + 0.1 * random.nextDouble()) * (1 - conflictRate / 3));
            commands += throughput[i];
        }

        final double reportedFastPath = protocol.equals("paxos") ? Double.NaN : fastPathRatio;
        return new RunResult(label, protocol, sites.length, conflictRate, 0, seconds, commands, reportedFastPath,
            protocol.equals("paxos") ? 0 : random.nextInt(3),
            protocol.equals("epaxos") || protocol.equals("atlas") ? 3 * random.nextDouble() : Double.NaN,
            protocol.equals("tempo") ? 2 * random.nextDouble() : Double.NaN, 2 + random.nextInt(4),
            10 + random.nextInt(40),
            200 + 100 * random.nextDouble(), throughput, results, null);
    }

    /** The wan-epaxos shape: four protocols at four conflict rates over the EPaxos paper's five regions. */
    static List<RunResult> wanEpaxos(final int commandsPerSite)
    {
        final List<RunResult> runs = new ArrayList<>();
        long seed = 1;
        for (final String protocol : new String[]{"epaxos", "atlas", "tempo", "paxos"})
        {
            for (final double conflict : new double[]{0, 0.02, 0.25, 1.0})
            {
                final String label = protocol + "-n5-c" + Math.round(conflict * 100);
                runs.add(run(label, protocol, conflict, EPAXOS_SITES, EPAXOS_OPTIMA_MS, commandsPerSite, seed++));
            }
        }

        return runs;
    }

    public static void main(final String[] args) throws Exception
    {
        final Path folder = Path.of(args.length > 0 ? args[0] : "/tmp/report-sample");
        ReportWriter.write(folder, "wan-epaxos",
            "Synthetic sample: the EPaxos paper's 5 AWS regions, conflict 0/2/25/100 %, all protocols. " +
            "Numbers are made up by SyntheticRuns, not measured.",
            wanEpaxos(50_000));
        System.out.println("wrote " + folder.resolve(ReportWriter.INDEX_HTML));
    }
}
