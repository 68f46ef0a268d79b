package io.roundtable.bench.report;

import java.util.List;

/**
 * One measured configuration of a preset: one protocol, cluster size and workload, run once.
 *
 * @param label                    unique within a report and file-name safe, e.g. {@code epaxos-n3-c2}.
 * @param protocol                 epaxos, atlas, tempo or paxos.
 * @param replicas                 N.
 * @param conflictRate             the fraction of commands writing the shared hot key.
 * @param offeredRate              commands/s offered in open loop, 0 for closed loop.
 * @param measuredSeconds          the measured window (warm-up excluded).
 * @param commands                 commands answered in that window.
 * @param fastPathRatio            fast-path commits / all commits in the window, in [0, 1]; NaN if unknown.
 * @param recoveries               recoveries started in the window.
 * @param dependenciesPerInstance  EPaxos, Atlas: mean dependency-list length of the instances committed in the window
 *                                 (over every replica's commits); NaN for the others.
 * @param stabilityWaitMs          Tempo: mean wait from commit to stable (execution) in the window; NaN for the
 *                                 others.
 * @param gcCount                  garbage collections in the benchmark JVM during the window.
 * @param gcPauseMs                their accumulated time.
 * @param allocatedBytesPerCommand bytes allocated by the replica threads during the window / commands; NaN where the
 *                                 threads are not ours to measure (the simulator).
 * @param throughputPerSecond      commands answered in each 1 s of the window, in order.
 * @param sites                    one entry per site (per replica on a LAN), in replica order.
 * @param timeline                 latency and messages per command over the window; null where not recorded.
 */
public record RunResult(
    String label,
    String protocol,
    int replicas,
    double conflictRate,
    long offeredRate,
    double measuredSeconds,
    long commands,
    double fastPathRatio,
    long recoveries,
    double dependenciesPerInstance,
    double stabilityWaitMs,
    long gcCount,
    long gcPauseMs,
    double allocatedBytesPerCommand,
    long[] throughputPerSecond,
    List<SiteResult> sites,
    Timeline timeline)
{
    /** Commands answered per second over the measured window. */
    public double commandsPerSecond()
    {
        return measuredSeconds > 0 ? commands / measuredSeconds : 0;
    }
}
