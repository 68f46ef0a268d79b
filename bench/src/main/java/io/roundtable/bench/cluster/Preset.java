package io.roundtable.bench.cluster;

import io.roundtable.config.ProtocolName;
import io.roundtable.latency.LatencyMatrix;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The named benchmark scenarios of {@code roundtable bench run <preset>}: what each measures, on which cluster and
 * workload. Each comes in a full size (minutes, the figures a report is read for) and a smoke size (seconds, for CI:
 * it checks that the preset runs and reports, not its numbers).
 */
public enum Preset
{
    LAN_THROUGHPUT("lan-throughput",
        "3 and 5 replicas on loopback at 0, 2 and 100 % conflict: the most commands/s closed-loop clients get, then " +
        "latency in open loop at half of that."),
    WAN_EPAXOS("wan-epaxos",
        "The EPaxos paper's 5 AWS regions emulated on loopback (each message held for half the pair's round trip), " +
        "conflict 0, 2, 25 and 100 %: per-site latency against the round trip to the closest fast quorum."),
    WAN_TEMPO_TAIL("wan-tempo-tail",
        "The Tempo paper's 5 regions emulated on loopback, 2 % conflict, many clients per site: the tail " +
        "(p99, p99.9) per site."),
    SCALE_SITES("scale-sites",
        "Simulator, N = 3 to 13 GCP regions, Atlas (f=1) against EPaxos at 2 % conflict: does Atlas pull ahead " +
        "from n = 5 as the slides claim?"),
    STRAGGLER_SWITCH("straggler-switch",
        "Seed 001's switch: 3 replicas on loopback, replica 1's messages held 20 ms (a straggler), replica 2 stopped " +
        "half way so every quorum must include the straggler: latency and messages per command over time.");

    /** The EPaxos paper's sites, in its order. */
    public static final List<String> EPAXOS_REGIONS =
        List.of("us-east-1", "us-west-1", "eu-west-1", "ap-northeast-1", "ap-southeast-1");

    /** The Tempo paper's sites, in its order. */
    public static final List<String> TEMPO_REGIONS =
        List.of("eu-west-1", "us-west-1", "ap-southeast-1", "ca-central-1", "sa-east-1");

    /** 13 GCP regions spread over the continents, taken in this order as N grows. */
    public static final List<String> GCP_REGIONS = List.of(
        "asia-east1", "us-central1", "europe-west1", "southamerica-east1", "australia-southeast1", "us-west1",
        "europe-north1", "asia-south1", "northamerica-northeast1", "asia-northeast1", "europe-west2", "us-east1",
        "asia-southeast1");

    private static final long SEED = 42;

    private final String presetName;
    private final String description;

    Preset(final String presetName, final String description)
    {
        this.presetName = presetName;
        this.description = description;
    }

    public String presetName()
    {
        return presetName;
    }

    public String description()
    {
        return description;
    }

    /** Whether this preset runs in the simulator rather than on the real runtime. */
    public boolean simulated()
    {
        return this == SCALE_SITES;
    }

    /** The preset named {@code name}, or an error listing the names. */
    public static Preset fromName(final String name)
    {
        for (final Preset preset : values())
        {
            if (preset.presetName.equals(name.toLowerCase(Locale.ROOT)))
            {
                return preset;
            }
        }
        final StringBuilder names = new StringBuilder();
        for (final Preset preset : values())
        {
            names.append(names.length() > 0 ? ", " : "").append(preset.presetName);
        }
        throw new IllegalArgumentException("unknown preset '" + name + "': use one of " + names);
    }

    /** The protocols a preset compares unless told otherwise. */
    public List<ProtocolName> defaultProtocols()
    {
        return this == SCALE_SITES ? List.of(ProtocolName.ATLAS, ProtocolName.EPAXOS) :
            List.of(ProtocolName.EPAXOS, ProtocolName.ATLAS, ProtocolName.TEMPO, ProtocolName.PAXOS);
    }

    /**
     * The runs of this preset, protocol by protocol in the order given (same workload and seed for each). For
     * {@link #LAN_THROUGHPUT} these are the closed-loop runs; the runner adds an open-loop run at half of each one's
     * throughput.
     */
    public List<RunSpec> runs(final List<ProtocolName> protocols, final boolean smoke)
    {
        final Duration warmup = smoke ? Duration.ofSeconds(1) : Duration.ofSeconds(this == LAN_THROUGHPUT ? 3 : 5);
        final Duration measured = smoke ? Duration.ofSeconds(2) : Duration.ofSeconds(this == LAN_THROUGHPUT ? 10 : 20);
        final List<RunSpec> runs = new ArrayList<>();
        for (final ProtocolName protocol : protocols)
        {
            switch (this)
            {
                case LAN_THROUGHPUT ->
                {
                    for (final int replicas : smoke ? new int[] {3} : new int[] {3, 5})
                    {
                        for (final double conflict : smoke ? new double[] {0.02} : new double[] {0, 0.02, 1.0})
                        {
                            runs.add(new RunSpec(protocol, replicas, conflict, 0, 8, smoke ? 8 : 64, 0, warmup,
                                measured, null, LatencyMatrix.AWS, SEED));
                        }
                    }
                }
                case WAN_EPAXOS ->
                {
                    for (final double conflict : smoke ? new double[] {0} : new double[] {0, 0.02, 0.25, 1.0})
                    {
                        runs.add(new RunSpec(protocol, 5, conflict, 0, 8, smoke ? 2 : 8, 0, warmup, measured,
                            EPAXOS_REGIONS, LatencyMatrix.AWS, SEED));
                    }
                }
                case WAN_TEMPO_TAIL -> runs.add(new RunSpec(protocol, 5, 0.02, 0, 8, smoke ? 4 : 64, 0, warmup,
                    measured, TEMPO_REGIONS, LatencyMatrix.AWS, SEED));
                case SCALE_SITES ->
                {
                    for (final int replicas : smoke ? new int[] {3, 5} : new int[] {3, 5, 7, 9, 11, 13})
                    {
                        runs.add(new RunSpec(protocol, replicas, 0.02, 0, 8, smoke ? 2 : 8, 0, warmup, measured,
                            GCP_REGIONS.subList(0, replicas), LatencyMatrix.GCP, SEED));
                    }
                }
                case STRAGGLER_SWITCH -> runs.add(new RunSpec(protocol, 3, 0.02, 0, 8, smoke ? 4 : 16, 0, warmup,
                    smoke ? Duration.ofSeconds(4) : measured, null, LatencyMatrix.AWS, SEED));
            }
        }
        return runs;
    }

    /** Commands each simulated client sends, for {@link #simulated()} presets. */
    public int simulatedCommandsPerClient(final boolean smoke)
    {
        return smoke ? 20 : 300;
    }
}
