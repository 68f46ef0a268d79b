package io.roundtable.runtime;

import io.aeron.Aeron;
import io.aeron.driver.status.DutyCycleStallTracker;
import io.roundtable.checkpoint.Checkpointer;
import io.roundtable.command.CommandBatchReader;
import io.roundtable.driver.Channels;
import io.roundtable.driver.StreamIds;
import io.roundtable.execution.CommandExecutor;
import io.roundtable.journal.Journal;
import io.roundtable.protocol.DecisionObserver;
import io.roundtable.protocol.Protocol;
import io.roundtable.protocol.ProtocolContext;
import io.roundtable.protocol.ProtocolCounters;
import io.roundtable.protocol.ReplicaCore;
import io.roundtable.statemachine.DeduplicatingStateMachine;
import io.roundtable.transport.EmulatedDelays;
import io.roundtable.transport.PeerTransport;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.LongConsumer;

/**
 * One replica as a single-threaded Agrona {@link Agent}: run it on its own thread with an {@code AgentRunner}, or
 * inside the caller's loop with an {@code AgentInvoker}. Each duty cycle:
 * <ol>
 * <li>polls peer messages into the protocol core;</li>
 * <li>polls client requests, batching all of this cycle's into one instance it coordinates;</li>
 * <li>executes what became runnable, applies it to the state machine and answers the clients connected here;</li>
 * <li>on the timer tick: protocol timers, chasing missing dependencies, client session upkeep, counters;</li>
 * <li>flushes the journal, then releases messages and client answers held for that flush and retries messages held by
 * back pressure.</li>
 * </ol>
 * Every record a message reveals is appended before the message is sent: the protocol appends before it sends, and
 * with a syncing journal the transport holds the cycle's messages, and the sessions its answers, until step 5. On start the agent replays its
 * journal (rebuilding protocol, executor and state machine, from the last checkpoint on) before it reads any input,
 * and it checkpoints every {@link ReplicaContext#checkpointIntervalBytes} of journal so the journal can release what
 * came before.
 */
public final class ReplicaAgent implements Agent
{
    private static final int PEER_FRAGMENT_LIMIT = 256;
    private static final int EXECUTION_WORK_LIMIT = 4096;

    private final int replicaId;
    private final NanoClock clock;
    private final long tickIntervalNs;
    private final Journal journal;
    private final PeerTransport transport;
    private final ClientSessions sessions;
    private final ClientIngress ingress;
    private final ReplicaCounters counters;
    private final CommandExecutor executor;
    private final Protocol protocol;
    private final DeduplicatingStateMachine stateMachine;
    private final CommandBatchReader batchReader = new CommandBatchReader();
    private final UnsafeBuffer commandsView = new UnsafeBuffer(0, 0);
    private final ExpandableArrayBuffer resultBuffer = new ExpandableArrayBuffer(1024);
    private final CommandBatchReader.CommandConsumer applier = this::apply;
    private final LongConsumer missingDependency;
    private final Checkpointer checkpointer;
    /** Time from one duty cycle's start to the next: long gaps with short work mean the thread did not get a core. */
    private final DutyCycleStallTracker cycleGaps;
    /** Time one duty cycle spends working (journal, execution, sends). */
    private final DutyCycleStallTracker workTime;
    private final long checkpointIntervalBytes;
    private long journalBytesAtCheckpoint;
    private long lastCheckpointBytes;
    private boolean replaying;
    private long nextTickNs;
    private long commandsProposed;
    private long instancesProposed;
    private long commandsExecuted;

    public ReplicaAgent(final ReplicaContext context)
    {
        context.conclude();
        final Aeron aeron = context.aeron();
        this.replicaId = context.replicaId();
        this.clock = context.nanoClock();
        this.tickIntervalNs = context.tickIntervalNs();
        this.journal = context.journal();
        this.stateMachine = new DeduplicatingStateMachine(context.stateMachine());
        this.transport = new PeerTransport(aeron, replicaId, context.peerEndpoints(), StreamIds.PEER_PROTOCOL,
            null == context.emulatedDelaysNs() ?
                EmulatedDelays.NONE : new EmulatedDelays(context.emulatedDelaysNs(), context.nanoClock()));
        this.transport.holdUntilRetry(journal.flushBeforeSend());
        final ReplicaCore core = context.protocol().create(new ProtocolContext(
            replicaId, context.replicaCount(), context.faults(), context.peersByPreference(), context.phaseTimeoutNs(),
            transport, journal, this::onExecute, DecisionObserver.NONE));
        this.protocol = core.protocol();
        this.executor = core.executor();
        this.transport.deliverTo(protocol);
        this.missingDependency = protocol::onMissingDependency;
        this.sessions = new ClientSessions(aeron, replicaId, context.clientIdleTimeoutNs());
        this.sessions.holdUntilReleased(journal.flushBeforeSend());
        this.ingress = new ClientIngress(
            aeron.addSubscription(Channels.udp(context.clientEndpoint()), StreamIds.CLIENT_INGRESS),
            sessions, context.maxBatchCommands(), context.maxBatchBytes());
        this.counters = new ReplicaCounters(aeron, replicaId);
        this.cycleGaps = new DutyCycleStallTracker(counters.counter(ReplicaCounter.DUTY_CYCLE_GAP_MAX_NS),
            counters.counter(ReplicaCounter.DUTY_CYCLE_GAP_STALLS), context.stallThresholdNs());
        this.workTime = new DutyCycleStallTracker(counters.counter(ReplicaCounter.DUTY_CYCLE_WORK_MAX_NS),
            counters.counter(ReplicaCounter.DUTY_CYCLE_WORK_STALLS), context.stallThresholdNs());
        this.checkpointer = new Checkpointer(journal, protocol, executor, stateMachine);
        this.checkpointIntervalBytes = context.checkpointIntervalBytes();
    }

    public String roleName()
    {
        return "roundtable-replica-" + replicaId;
    }

    /** Rebuilds protocol, executor and state machine from the journal; no message or answer leaves meanwhile. */
    public void onStart()
    {
        replaying = true;
        checkpointer.replay();
        // the replay executes as it goes: add what the checkpoint it started from already reflects
        commandsExecuted += checkpointer.commandsExecuted();
        drainExecutor();
        replaying = false;
        journalBytesAtCheckpoint = journal.bytes();
        final long nowNs = clock.nanoTime();
        protocol.onTick(nowNs);
        nextTickNs = nowNs + tickIntervalNs;
        cycleGaps.update(clock.nanoTime()); // the replay is not a gap between duty cycles
        publishCounters();
    }

    public int doWork()
    {
        final long startNs = clock.nanoTime();
        cycleGaps.measureAndUpdate(startNs);
        workTime.update(startNs);
        int work = transport.poll(PEER_FRAGMENT_LIMIT);

        final long nowNs = clock.nanoTime();
        work += ingress.poll(nowNs);
        final int batched = ingress.batchedCommands();
        if (batched > 0)
        {
            protocol.submit(ingress.batchBuffer(), 0, ingress.endBatch());
            commandsProposed += batched;
            instancesProposed++;
        }
        protocol.endOfInput();

        work += executor.execute(EXECUTION_WORK_LIMIT);

        if (nowNs - nextTickNs >= 0)
        {
            nextTickNs = nowNs + tickIntervalNs;
            protocol.onTick(nowNs);
            executor.forEachMissingDependency(missingDependency);
            work += sessions.onTick(nowNs);
            checkpointIfDue();
            publishCounters();
        }

        journal.flush();
        work += transport.retryHeldBack();
        work += sessions.releaseHeld();
        workTime.measureAndUpdate(clock.nanoTime());
        return work;
    }

    public void onClose()
    {
        publishCounters();
        CloseHelper.closeAll(ingress, sessions, transport, counters, journal);
    }

    /** Checkpoints taken since start. Read it from the agent's thread or after close. */
    public long checkpointsTaken()
    {
        return checkpointer.checkpointsTaken();
    }

    /**
     * Commands the state machine reflects: those in the checkpoint it was restored from, then those applied since
     * start (journal replay included). Read it from the agent's thread or after close.
     */
    public long commandsExecuted()
    {
        return commandsExecuted;
    }

    public int replicaId()
    {
        return replicaId;
    }

    /** The protocol core's counters. Read from the agent's thread, or after close. */
    public ProtocolCounters protocolCounters()
    {
        return protocol.counters();
    }

    /** All peers connected both ways (for start-up waits in tools and tests; reads Aeron state, thread-safe). */
    public boolean peersConnected()
    {
        return transport.allPeersConnected();
    }

    /**
     * Checkpoints once the interval's bytes were journaled since the last checkpoint, and at least twice what that
     * checkpoint wrote: while a peer is down nothing is garbage-collected and each checkpoint re-journals a growing
     * set of instances, so this keeps checkpoints from taking over the journal.
     */
    private void checkpointIfDue()
    {
        final long sinceCheckpoint = journal.bytes() - journalBytesAtCheckpoint;
        if (checkpointIntervalBytes > 0 && sinceCheckpoint >= checkpointIntervalBytes &&
            sinceCheckpoint >= 2 * lastCheckpointBytes)
        {
            final long before = journal.bytes();
            checkpointer.take(commandsExecuted);
            journalBytesAtCheckpoint = journal.bytes();
            lastCheckpointBytes = journalBytesAtCheckpoint - before;
        }
    }

    private void drainExecutor()
    {
        while (executor.execute(EXECUTION_WORK_LIMIT) > 0)
        {
            // keep going until nothing is runnable
        }
    }

    private void onExecute(final long dot)
    {
        if (!protocol.wrapCommands(dot, commandsView))
        {
            throw new IllegalStateException("replica " + replicaId + " executes " + dot + " without its commands");
        }
        batchReader.forEachCommand(commandsView, 0, applier);
        protocol.onExecuted(dot);
    }

    private void apply(
        final long clientId, final long requestNumber, final boolean write,
        final DirectBuffer payload, final int offset, final int length)
    {
        final int resultLength = stateMachine.apply(clientId, requestNumber, payload, offset, length, resultBuffer, 0);
        commandsExecuted++;
        if (!replaying)
        {
            sessions.respond(clientId, requestNumber, resultBuffer, 0, resultLength);
        }
    }

    private void publishCounters()
    {
        final ProtocolCounters c = protocol.counters();
        counters.set(ReplicaCounter.COMMANDS_PROPOSED, commandsProposed);
        counters.set(ReplicaCounter.COMMANDS_EXECUTED, commandsExecuted);
        counters.set(ReplicaCounter.INSTANCES_PROPOSED, instancesProposed);
        counters.set(ReplicaCounter.INSTANCES_COMMITTED, c.committed);
        counters.set(ReplicaCounter.FAST_PATH, c.fastPath);
        counters.set(ReplicaCounter.SLOW_PATH, c.slowPath);
        counters.set(ReplicaCounter.RECOVERIES, c.recoveries);
        counters.set(ReplicaCounter.MESSAGES_IN, c.messagesIn);
        counters.set(ReplicaCounter.MESSAGES_OUT, transport.messagesOut());
        counters.set(ReplicaCounter.BACK_PRESSURE, transport.backPressureEvents());
        counters.set(ReplicaCounter.MESSAGES_DROPPED_OVERSIZE, transport.droppedOversize());
        counters.set(ReplicaCounter.MALFORMED_DROPPED, c.malformedDropped + ingress.malformed());
        counters.set(ReplicaCounter.JOURNAL_BYTES, journal.bytes());
        counters.set(ReplicaCounter.CHECKPOINTS, checkpointer.checkpointsTaken());
        counters.set(ReplicaCounter.RESTORED_FROM_CHECKPOINT, checkpointer.restoredFromCheckpoint() ? 1 : 0);
        counters.set(ReplicaCounter.CLIENT_SESSIONS, sessions.size());
        counters.set(ReplicaCounter.RESPONSES_DROPPED, sessions.responsesDropped());
        counters.set(ReplicaCounter.STABILITY_WAITS, c.stabilityWaits);
        counters.set(ReplicaCounter.STABILITY_WAIT_NS, c.stabilityWaitNs);
        counters.set(ReplicaCounter.STABILITY_WAIT_MAX_NS, c.stabilityWaitMaxNs);
        counters.set(ReplicaCounter.THRIFTY_RERANKS, c.thriftyReranks);
        counters.set(ReplicaCounter.DEPENDENCIES, c.dependencies);
        counters.set(ReplicaCounter.DEPENDENCIES_MAX, c.dependenciesMax);
    }
}
