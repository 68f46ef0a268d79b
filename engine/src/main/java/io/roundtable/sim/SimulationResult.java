package io.roundtable.sim;

import io.roundtable.protocol.ProtocolCounters;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;

/**
 * What a simulated run did and every property violation it found (empty when correct). Violations come in two kinds:
 * safety (agreement, execution order, exactly-once application, identical replica states, linearizability: must hold
 * under any fault, whether or not the run finished) and liveness (every client finished, every replica executed the
 * same instances, once the faults were over).
 */
public final class SimulationResult
{
    private final SimulationConfig config;
    private final List<String> violations;
    private final List<String> safetyViolations;
    private final List<String> livenessViolations;
    private final long commandsCompleted;
    private final long simulatedNs;
    private final long wallNs;
    private final ProtocolCounters counters;
    private final long messagesSent;
    private final long messagesDuplicated;
    private final FaultCounters faults;
    private final int decidedInstances;
    private final String linearizability;
    private final String[] siteNames;
    private final Histogram[] latencyBySite;

    SimulationResult(
        final SimulationConfig config,
        final List<String> safetyViolations,
        final List<String> livenessViolations,
        final long commandsCompleted,
        final long simulatedNs,
        final long wallNs,
        final ProtocolCounters counters,
        final long messagesSent,
        final long messagesDuplicated,
        final FaultCounters faults,
        final int decidedInstances,
        final String linearizability,
        final String[] siteNames,
        final Histogram[] latencyBySite)
    {
        this.siteNames = siteNames;
        this.latencyBySite = latencyBySite;
        this.config = config;
        this.safetyViolations = List.copyOf(safetyViolations);
        this.livenessViolations = List.copyOf(livenessViolations);
        final List<String> all = new ArrayList<>(safetyViolations);
        all.addAll(livenessViolations);
        this.violations = List.copyOf(all);
        this.commandsCompleted = commandsCompleted;
        this.simulatedNs = simulatedNs;
        this.wallNs = wallNs;
        this.counters = counters;
        this.messagesSent = messagesSent;
        this.messagesDuplicated = messagesDuplicated;
        this.faults = faults;
        this.decidedInstances = decidedInstances;
        this.linearizability = linearizability;
    }

    public boolean ok()
    {
        return violations.isEmpty();
    }

    public List<String> violations()
    {
        return violations;
    }

    /** What no fault may break: agreement, execution order, exactly-once application, linearizability. */
    public List<String> safetyViolations()
    {
        return safetyViolations;
    }

    /** Clients that did not finish, replicas that did not catch up, before the simulated time bound. */
    public List<String> livenessViolations()
    {
        return livenessViolations;
    }

    public FaultCounters faults()
    {
        return faults;
    }

    public long messagesSent()
    {
        return messagesSent;
    }

    public long messagesDuplicated()
    {
        return messagesDuplicated;
    }

    public long commandsCompleted()
    {
        return commandsCompleted;
    }

    public ProtocolCounters counters()
    {
        return counters;
    }

    public long simulatedNs()
    {
        return simulatedNs;
    }

    public long wallNs()
    {
        return wallNs;
    }

    public int decidedInstances()
    {
        return decidedInstances;
    }

    public String linearizability()
    {
        return linearizability;
    }

    /** Client-observed latency (submit to response) at the clients attached to {@code site}, in nanoseconds. */
    public Histogram latency(final int site)
    {
        return latencyBySite[site];
    }

    public String latencyTable()
    {
        final StringBuilder sb = new StringBuilder("  site                 p50 ms    p99 ms    max ms   commands");
        for (int i = 0; i < siteNames.length; i++)
        {
            final Histogram h = latencyBySite[i];
            sb.append(String.format("%n  %-18s %8.2f  %8.2f  %8.2f  %9d", siteNames[i],
                h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6,
                h.getTotalCount()));
        }
        return sb.toString();
    }

    public double fastPathRatio()
    {
        final long decided = counters.fastPath + counters.slowPath;
        return decided == 0 ? 0 : (double)counters.fastPath / decided;
    }

    public String summary()
    {
        return String.format(
            "%s%n  commands completed %d, instances decided %d, fast path %d, slow path %d (%.1f%% fast)%n" +
            "  messages sent %d (duplicated %d, lost %d), malformed dropped %d%n" +
            "%s  simulated %.3f s in %.3f s wall, linearizability %s, violations %d",
            config.describe(), commandsCompleted, decidedInstances, counters.fastPath, counters.slowPath,
            100.0 * fastPathRatio(), messagesSent, messagesDuplicated, faults.messagesLost, counters.malformedDropped,
            faults.any() ? "  faults: " + faults + String.format("%n") : "",
            simulatedNs / 1e9, wallNs / 1e9, linearizability, violations.size());
    }

    /**
     * Everything deterministic about the run (the summary without wall-clock time, plus the full counters): two runs
     * of one config must have equal fingerprints.
     */
    public String fingerprint()
    {
        return String.format(
            "%s | completed %d decided %d | %s | sent %d duplicated %d | faults %s | simulated %d ns | " +
            "linearizability %s | violations %s",
            config.describe(), commandsCompleted, decidedInstances, counters, messagesSent, messagesDuplicated, faults,
            simulatedNs, linearizability, violations);
    }

    public String toString()
    {
        return summary() + (violations.isEmpty() ? "" : "\n  " + String.join("\n  ", violations));
    }
}
