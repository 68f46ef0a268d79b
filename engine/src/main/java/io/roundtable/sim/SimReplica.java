package io.roundtable.sim;

import io.roundtable.protocol.ProtocolFactory;
import io.roundtable.journal.InMemoryJournal;
import io.roundtable.protocol.ProtocolCounters;
import io.roundtable.sim.check.ExecutionOrderChecker;
import org.agrona.DirectBuffer;

/**
 * One simulated replica as the cluster sees it: an id, a durable journal, and the current {@link ReplicaIncarnation}
 * while it is up. Each input is one event: the incarnation handles it, executes what became runnable, and only then
 * does its output (messages, client replies) leave, unless a torn crash strikes in between.
 */
final class SimReplica
{
    final int id;
    final InMemoryJournal journal = new InMemoryJournal();
    private final Simulation simulation;
    private final ProtocolFactory factory;
    private final SimulationConfig config;
    private final ProtocolCounters deadIncarnations = new ProtocolCounters();
    private ReplicaIncarnation incarnation;
    private int incarnations;
    private boolean crashAfterNextEvent;
    private int journalRecordsBeforeEvent;
    private long duplicatesSkippedByDeadIncarnations;
    /** What this replica had executed at its journal's last checkpoint (null: no checkpoint yet). */
    private ExecutionOrderChecker.Snapshot executionAtCheckpoint;

    SimReplica(final int id, final Simulation simulation, final ProtocolFactory factory, final SimulationConfig config)
    {
        this.id = id;
        this.simulation = simulation;
        this.factory = factory;
        this.config = config;
        this.incarnation = new ReplicaIncarnation(id, incarnations++, simulation, factory, config, journal);
    }

    boolean isUp()
    {
        return incarnation != null;
    }

    void onMessage(final int from, final DirectBuffer buffer, final int offset, final int length)
    {
        journalRecordsBeforeEvent = journal.recordCount();
        incarnation.onMessage(from, buffer, offset, length);
        endEvent();
    }

    void onTick(final long nowNs)
    {
        journalRecordsBeforeEvent = journal.recordCount();
        incarnation.onTick(nowNs);
        if (incarnation.checkpointIfDue())
        {
            executionAtCheckpoint = simulation.executionOrder().snapshot(id);
            simulation.onCheckpoint(false);
        }
        endEvent();
    }

    void submit(final DirectBuffer batch, final int offset, final int length)
    {
        journalRecordsBeforeEvent = journal.recordCount();
        incarnation.submit(batch, offset, length);
        endEvent();
    }

    /**
     * The next event this replica handles that journals something is its last: the records stay, the messages and
     * replies the event produced are lost. An event that journals nothing promises nothing, so crashing after it
     * would be no different from crashing before it.
     */
    void crashAfterNextEvent()
    {
        crashAfterNextEvent = true;
    }

    boolean crashPending()
    {
        return crashAfterNextEvent;
    }

    /** Loses everything but the journal. */
    void crash()
    {
        crashAfterNextEvent = false;
        add(incarnation.protocol.counters(), deadIncarnations);
        duplicatesSkippedByDeadIncarnations += incarnation.duplicatesSkipped();
        final int unsent = incarnation.output().discard();
        incarnation = null;
        simulation.onCrashed(id, unsent);
    }

    /** A fresh protocol, executor and state machine, rebuilt from the journal before anything else reaches them. */
    void restart()
    {
        // a replay from a checkpoint starts where the checkpoint left off, not from nothing
        simulation.executionOrder().onRestart(id, executionAtCheckpoint);
        incarnation = new ReplicaIncarnation(id, incarnations++, simulation, factory, config, journal);
        incarnation.replayJournal();
        if (executionAtCheckpoint != null)
        {
            simulation.onCheckpoint(true);
        }
        incarnation.output().release(id, simulation);
    }

    private void endEvent()
    {
        if (crashAfterNextEvent && journal.recordCount() > journalRecordsBeforeEvent)
        {
            crash();
            return;
        }
        incarnation.output().release(id, simulation);
    }

    /** Counters summed over every incarnation, dead or alive. */
    void addCountersTo(final ProtocolCounters total)
    {
        add(deadIncarnations, total);
        if (incarnation != null)
        {
            add(incarnation.protocol.counters(), total);
        }
    }

    long duplicatesSkipped()
    {
        return duplicatesSkippedByDeadIncarnations + (incarnation == null ? 0 : incarnation.duplicatesSkipped());
    }

    int incarnations()
    {
        return incarnations;
    }

    ReplicaIncarnation incarnation()
    {
        return incarnation;
    }

    private static void add(final ProtocolCounters c, final ProtocolCounters total)
    {
        total.proposed += c.proposed;
        total.committed += c.committed;
        total.fastPath += c.fastPath;
        total.slowPath += c.slowPath;
        total.recoveries += c.recoveries;
        total.messagesIn += c.messagesIn;
        total.messagesOut += c.messagesOut;
        total.malformedDropped += c.malformedDropped;
        total.nacksSent += c.nacksSent;
        total.stabilityWaitNs += c.stabilityWaitNs;
        total.stabilityWaits += c.stabilityWaits;
        total.stabilityWaitMaxNs = Math.max(total.stabilityWaitMaxNs, c.stabilityWaitMaxNs);
        total.thriftyReranks += c.thriftyReranks;
        total.dependencies += c.dependencies;
        total.dependenciesMax = Math.max(total.dependenciesMax, c.dependenciesMax);
    }
}
