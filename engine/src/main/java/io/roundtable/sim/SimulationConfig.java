package io.roundtable.sim;

/**
 * Everything a simulated run depends on; with the same config (seed included) a run replays exactly.
 */
public final class SimulationConfig
{
    long seed = 1;
    int replicas = 3;
    int clientsPerReplica = 2;
    int commandsPerClient = 50;
    double conflictRate = 0.5;
    int hotKeys = 1;
    double readRatio = 0.3;
    double casRatio = 0.2;
    LatencyMatrix latency;
    long uniformOneWayNs = 1_000_000L;
    long maxJitterNs = 2_000_000L;
    double duplicateProbability = 0.05;
    NetworkFaults faults;
    long tickIntervalNs = 1_000_000L;
    long phaseTimeoutNs = 200_000_000L;
    long maxThinkTimeNs = 1_000_000L;
    long maxSimulatedNs = 120_000_000_000L;
    boolean checkLinearizability = true;
    long linearizabilityBudget = 2_000_000L;

    public SimulationConfig seed(final long seed)
    {
        this.seed = seed;
        return this;
    }

    public SimulationConfig replicas(final int replicas)
    {
        this.replicas = replicas;
        return this;
    }

    public SimulationConfig clientsPerReplica(final int clientsPerReplica)
    {
        this.clientsPerReplica = clientsPerReplica;
        return this;
    }

    public SimulationConfig commandsPerClient(final int commandsPerClient)
    {
        this.commandsPerClient = commandsPerClient;
        return this;
    }

    /** Probability that a command touches a shared hot key instead of its client's private key. */
    public SimulationConfig conflictRate(final double conflictRate)
    {
        this.conflictRate = conflictRate;
        return this;
    }

    public SimulationConfig hotKeys(final int hotKeys)
    {
        this.hotKeys = hotKeys;
        return this;
    }

    public SimulationConfig readRatio(final double readRatio)
    {
        this.readRatio = readRatio;
        return this;
    }

    public SimulationConfig casRatio(final double casRatio)
    {
        this.casRatio = casRatio;
        return this;
    }

    public SimulationConfig latency(final LatencyMatrix latency)
    {
        this.latency = latency;
        return this;
    }

    public SimulationConfig uniformOneWayNs(final long uniformOneWayNs)
    {
        this.uniformOneWayNs = uniformOneWayNs;
        return this;
    }

    public SimulationConfig maxJitterNs(final long maxJitterNs)
    {
        this.maxJitterNs = maxJitterNs;
        return this;
    }

    public SimulationConfig duplicateProbability(final double duplicateProbability)
    {
        this.duplicateProbability = duplicateProbability;
        return this;
    }

    /** Replaces the default jitter-and-duplication network. */
    public SimulationConfig faults(final NetworkFaults faults)
    {
        this.faults = faults;
        return this;
    }

    public SimulationConfig phaseTimeoutNs(final long phaseTimeoutNs)
    {
        this.phaseTimeoutNs = phaseTimeoutNs;
        return this;
    }

    public SimulationConfig maxThinkTimeNs(final long maxThinkTimeNs)
    {
        this.maxThinkTimeNs = maxThinkTimeNs;
        return this;
    }

    public SimulationConfig maxSimulatedNs(final long maxSimulatedNs)
    {
        this.maxSimulatedNs = maxSimulatedNs;
        return this;
    }

    public SimulationConfig checkLinearizability(final boolean checkLinearizability)
    {
        this.checkLinearizability = checkLinearizability;
        return this;
    }

    public long seed()
    {
        return seed;
    }

    public int replicas()
    {
        return replicas;
    }

    LatencyMatrix latencyMatrix()
    {
        return latency != null ? latency : LatencyMatrix.uniform(replicas, uniformOneWayNs);
    }

    NetworkFaults networkFaults()
    {
        return faults != null ? faults : NetworkFaults.jitterAndDuplication(maxJitterNs, duplicateProbability);
    }

    public String describe()
    {
        return "seed=" + seed + " replicas=" + replicas + " clientsPerReplica=" + clientsPerReplica +
            " commandsPerClient=" + commandsPerClient + " conflictRate=" + conflictRate + " hotKeys=" + hotKeys +
            " readRatio=" + readRatio + " casRatio=" + casRatio + " jitterNs=" + maxJitterNs +
            " duplicate=" + duplicateProbability;
    }
}
