package io.roundtable.sim;

import io.roundtable.latency.LatencyMatrix;

/**
 * Everything a simulated run depends on; with the same config (seed included) a run replays exactly.
 */
public final class SimulationConfig
{
    long seed = 1;
    int replicas = 3;
    /** f; -1: ⌊(N−1)/2⌋. */
    int toleratedFaults = -1;
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
    double lossProbability;
    long lossFromNs;
    long lossUntilNs;
    PartitionSchedule partitions = PartitionSchedule.none();
    CrashSchedule crashes = CrashSchedule.none();
    long clientTimeoutNs;
    long clientStartNs;
    int[] clientHomes;
    long clientPauseFromNs;
    long clientPauseUntilNs;
    long tickIntervalNs = 1_000_000L;
    /** Commands one instance carries at most; 1 submits each request on its own, as before batching. */
    int maxBatchCommands = 1;
    /** How long a replica gathers requests into a batch before proposing it (the runtime's duty cycle). */
    long batchWindowNs;
    /** Journal records between a replica's checkpoints (0: never), as the runtime checkpoints every so many bytes. */
    int checkpointEveryRecords;
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

    /** f, the crashes the protocol is configured to tolerate (Atlas, Tempo: fast quorums); default: the protocol's. */
    public SimulationConfig toleratedFaults(final int faults)
    {
        this.toleratedFaults = faults;
        return this;
    }

    /** f, or -1 for the protocol's default. */
    int toleratedFaults()
    {
        return toleratedFaults;
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

    /**
     * Replicas gather the requests arriving within {@code windowNs} of the first into one instance of at most
     * {@code maxCommands} commands, as the runtime batches one duty cycle's requests.
     */
    public SimulationConfig batching(final int maxCommands, final long windowNs)
    {
        if (maxCommands < 1 || windowNs < 0)
        {
            throw new IllegalArgumentException("batching needs maxCommands >= 1 and windowNs >= 0: " + maxCommands +
                ", " + windowNs);
        }
        this.maxBatchCommands = maxCommands;
        this.batchWindowNs = windowNs;
        return this;
    }

    /** Each replica checkpoints once {@code records} journal records were appended since its last (0: never). */
    public SimulationConfig checkpointEveryRecords(final int records)
    {
        if (records < 0)
        {
            throw new IllegalArgumentException("checkpointEveryRecords must be >= 0: " + records);
        }
        this.checkpointEveryRecords = records;
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

    /** Replaces the default jitter-and-duplication network; loss and partitions still apply on top. */
    public SimulationConfig faults(final NetworkFaults faults)
    {
        this.faults = faults;
        return this;
    }

    /**
     * Loses each message sent in [fromNs, untilNs) with {@code probability}, on top of the other network faults.
     * Loss ends, so that liveness can be asked of the run afterwards.
     */
    public SimulationConfig loss(final double probability, final long fromNs, final long untilNs)
    {
        if (probability < 0 || probability > 1 || fromNs < 0 || untilNs < fromNs || untilNs == Long.MAX_VALUE)
        {
            throw new IllegalArgumentException("loss needs a probability in [0, 1] and a finite window: " +
                probability + " in [" + fromNs + ", " + untilNs + ")");
        }
        this.lossProbability = probability;
        this.lossFromNs = fromNs;
        this.lossUntilNs = untilNs;
        return this;
    }

    public SimulationConfig partitions(final PartitionSchedule partitions)
    {
        this.partitions = partitions;
        return this;
    }

    public SimulationConfig crashes(final CrashSchedule crashes)
    {
        this.crashes = crashes;
        return this;
    }

    /**
     * How long a client waits for an answer before it re-sends the same request to another replica (doubling on
     * each further retry, up to 8 times this). 0, the default, means the protocol's phase timeout plus 8 times the
     * slowest one-way delay and jitter: a client should not pre-empt the coordinator's own widening, and fault-free
     * schedules of the suite answer within about 10 one-way delays.
     */
    public SimulationConfig clientTimeoutNs(final long clientTimeoutNs)
    {
        this.clientTimeoutNs = clientTimeoutNs;
        return this;
    }

    /** Clients issue their first commands from this time on (default 0). */
    public SimulationConfig clientStartNs(final long clientStartNs)
    {
        this.clientStartNs = clientStartNs;
        return this;
    }

    /** One client per entry, attached to that replica; replaces clientsPerReplica. */
    public SimulationConfig clientHomes(final int... replicas)
    {
        this.clientHomes = replicas.clone();
        return this;
    }

    /** Clients start no new command in [fromNs, untilNs) (one due waits until untilNs); requests in flight go on. */
    public SimulationConfig clientPause(final long fromNs, final long untilNs)
    {
        this.clientPauseFromNs = fromNs;
        this.clientPauseUntilNs = untilNs;
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

    /** Jitter, duplication (or the replacement network) and loss; partitions are consulted apart, to count cuts. */
    NetworkFaults networkFaults()
    {
        final NetworkFaults network =
            faults != null ? faults : NetworkFaults.jitterAndDuplication(maxJitterNs, duplicateProbability);
        return lossProbability > 0 ? network.and(NetworkFaults.randomLoss(lossProbability, lossFromNs, lossUntilNs)) :
            network;
    }

    int[] clientHomesOrDefault()
    {
        if (clientHomes != null)
        {
            return clientHomes.clone();
        }
        final int[] homes = new int[replicas * clientsPerReplica];
        for (int r = 0, i = 0; r < replicas; r++)
        {
            for (int c = 0; c < clientsPerReplica; c++)
            {
                homes[i++] = r;
            }
        }
        return homes;
    }

    boolean hasFaults()
    {
        return lossProbability > 0 || !partitions.isEmpty() || !crashes.isEmpty();
    }

    /** When the last scheduled fault is over: loss ended, partitions healed, crashed replicas restarted. */
    long faultsOverAtNs()
    {
        return Math.max(lossProbability > 0 ? lossUntilNs : 0,
            Math.max(partitions.healedAtNs(), crashes.restartedAtNs()));
    }

    public String describe()
    {
        return "seed=" + seed + " replicas=" + replicas + (toleratedFaults >= 0 ? " f=" + toleratedFaults : "") +
            " clientsPerReplica=" + clientsPerReplica +
            " commandsPerClient=" + commandsPerClient + " conflictRate=" + conflictRate + " hotKeys=" + hotKeys +
            " readRatio=" + readRatio + " casRatio=" + casRatio + " jitterNs=" + maxJitterNs +
            " duplicate=" + duplicateProbability +
            (checkpointEveryRecords > 0 ? " checkpointEveryRecords=" + checkpointEveryRecords : "") + (hasFaults() ? describeFaults() : "") + describeClientOptions();
    }

    private String describeClientOptions()
    {
        return (clientHomes != null ? " clientHomes=" + java.util.Arrays.toString(clientHomes) : "") +
            (clientTimeoutNs > 0 ? " clientTimeoutNs=" + clientTimeoutNs : "") +
            (clientStartNs > 0 ? " clientStartNs=" + clientStartNs : "") +
            (clientPauseUntilNs > clientPauseFromNs ?
                " clientPause=[" + clientPauseFromNs + ", " + clientPauseUntilNs + ")" : "");
    }

    private String describeFaults()
    {
        return (lossProbability > 0 ? String.format(" loss=%.3f in [%.1f ms, %.1f ms)", lossProbability,
            lossFromNs / 1e6, lossUntilNs / 1e6) : "") +
            (partitions.isEmpty() ? "" : " partitions=" + partitions) +
            (crashes.isEmpty() ? "" : " crashes=" + crashes);
    }
}
