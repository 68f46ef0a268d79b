package io.roundtable.bench.cluster;

import io.roundtable.config.ProtocolName;

import java.time.Duration;
import java.util.List;

/**
 * One configuration to measure: protocol, cluster, placement and workload.
 *
 * @param protocol        the protocol every replica runs.
 * @param replicas        N.
 * @param conflictRate    the fraction of commands that write the shared hot key; the rest write (or read) a key of
 *                        their own client.
 * @param readRatio       the fraction of commands that are reads.
 * @param valueBytes      the size of a written value, at least 8.
 * @param clientsPerSite  closed-loop clients at each replica (the in-flight bound per site in open loop).
 * @param offeredRate     commands/s offered in open loop, spread over the sites; 0 for closed loop.
 * @param warmup          run, not measured, before the window.
 * @param measured        the measured window.
 * @param regions         the region of each replica, or null for a LAN (loopback, no emulated delay).
 * @param latencyData     the bundled ping data the regions come from ({@code LatencyMatrix.AWS} or {@code GCP}).
 * @param seed            the workload's seed: same seed, same commands, for every protocol of a preset.
 */
public record RunSpec(
    ProtocolName protocol,
    int replicas,
    double conflictRate,
    double readRatio,
    int valueBytes,
    int clientsPerSite,
    long offeredRate,
    Duration warmup,
    Duration measured,
    List<String> regions,
    String latencyData,
    long seed)
{
    /** A label unique within a preset and safe in a file name, e.g. {@code atlas-n5-c2}. */
    public String label()
    {
        final String conflict = conflictRate * 100 == Math.rint(conflictRate * 100) ?
            String.valueOf((long)(conflictRate * 100)) : String.valueOf(conflictRate * 100).replace('.', '_');
        return protocol.configName() + "-n" + replicas + "-c" + conflict + (offeredRate > 0 ? "-r" + offeredRate : "");
    }

    /** The site name of replica {@code id}: its region, or {@code replica-<id>} on a LAN. */
    public String site(final int id)
    {
        return null == regions ? "replica-" + id : regions.get(id);
    }

    /** This spec offering {@code rate} commands/s in open loop. */
    public RunSpec withOfferedRate(final long rate)
    {
        return new RunSpec(protocol, replicas, conflictRate, readRatio, valueBytes, clientsPerSite, rate, warmup,
            measured, regions, latencyData, seed);
    }
}
