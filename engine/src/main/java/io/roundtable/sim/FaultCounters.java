package io.roundtable.sim;

/** What the injected faults did to a run, counted by the simulator as they happen. */
public final class FaultCounters
{
    /** Messages lost at random. */
    public long messagesLost;
    /** Messages dropped because a partition separated sender and receiver when they were sent. */
    public long messagesCut;
    /** Messages that arrived at a crashed replica. */
    public long messagesToCrashedReplica;
    /** Messages a torn crash destroyed before they left their replica. */
    public long messagesUnsentAtCrash;
    public long crashes;
    /** Crashes between journaling and sending (counted in crashes too). */
    public long tornCrashes;
    public long restarts;
    public long partitions;
    /** Requests re-sent to another replica. */
    public long clientRetries;
    /** Commands a replica recognised as already applied and did not apply again. */
    public long duplicatesSkipped;
    /** Checkpoints taken (not a fault: counted here so the suites show the restarts they shaped). */
    public long checkpoints;
    /** Restarts whose replay began at a checkpoint. */
    public long restartsFromCheckpoint;

    public boolean any()
    {
        return messagesLost + messagesCut + messagesToCrashedReplica + messagesUnsentAtCrash + crashes + restarts +
            partitions + clientRetries + duplicatesSkipped > 0;
    }

    public String toString()
    {
        return "lost " + messagesLost + ", cut by partitions " + messagesCut + ", to crashed replicas " +
            messagesToCrashedReplica + ", unsent at crash " + messagesUnsentAtCrash + "; crashes " + crashes +
            " (torn " + tornCrashes + "), restarts " + restarts + ", partitions " + partitions + ", client retries " +
            clientRetries + ", duplicates skipped " + duplicatesSkipped + "; checkpoints " + checkpoints +
            ", restarts from one " + restartsFromCheckpoint;
    }
}
