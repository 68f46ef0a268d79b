package io.roundtable.sim;

import io.roundtable.command.CommandBatchWriter;
import io.roundtable.latency.LatencyMatrix;
import io.roundtable.protocol.Dot;
import io.roundtable.protocol.ProtocolCounters;
import io.roundtable.protocol.ProtocolFactory;
import io.roundtable.sim.check.AgreementChecker;
import io.roundtable.sim.check.ExecutionOrderChecker;
import io.roundtable.sim.check.History;
import io.roundtable.sim.check.LinearizabilityChecker;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The deterministic simulator: N replicas, closed-loop clients, a virtual clock and one seeded random generator for
 * everything (delays, faults, workload), so a run is a pure function of its {@link SimulationConfig}. Runs until every
 * client has finished, every scheduled fault is over and the network is quiet (or the simulated time bound), then
 * checks agreement, execution order, linearizability and liveness. A failing run's seed replays it exactly.
 * <p>
 * Faults: jitter, duplication and loss ({@link NetworkFaults}), partitions ({@link PartitionSchedule}), and crashes
 * with restarts from the journal ({@link CrashSchedule}). Clients re-send a request to another replica when they hear
 * nothing; replicas apply each request once ({@code DeduplicatingStateMachine}).
 */
public final class Simulation implements PendingOutput.Sink
{
    private static final int MESSAGE = 0;
    private static final int TICK = 1;
    private static final int CLIENT_SUBMIT = 2;
    private static final int CRASH = 3;
    private static final int RESTART = 4;
    private static final int BATCH_DUE = 5;

    private static final class Event implements Comparable<Event>
    {
        final long timeNs;
        final long order;
        final int type;
        final int from;
        final int to;
        final byte[] bytes;

        Event(final long timeNs, final long order, final int type, final int from, final int to, final byte[] bytes)
        {
            this.timeNs = timeNs;
            this.order = order;
            this.type = type;
            this.from = from;
            this.to = to;
            this.bytes = bytes;
        }

        public int compareTo(final Event other)
        {
            final int byTime = Long.compare(timeNs, other.timeNs);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }

    private final SimulationConfig config;
    private final ProtocolFactory factory;
    private final SplittableRandom random;
    private final LatencyMatrix latency;
    private final NetworkFaults network;
    private final PartitionSchedule partitions;
    private final CrashSchedule crashes;
    private final long clientTimeoutNs;
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final SimReplica[] replicas;
    /** Per replica, the batch of requests it is gathering (empty unless batching is configured). */
    private final CommandBatchWriter[] gatheringBatch;
    private final ExpandableArrayBuffer[] gatheringBuffer;
    private final List<SimClient> clients = new ArrayList<>();
    private final History history = new History();
    private final AgreementChecker agreement = new AgreementChecker();
    private final ExecutionOrderChecker executionOrder;
    private final UnsafeBuffer deliveryView = new UnsafeBuffer(0, 0);
    private final Histogram[] latencyBySite;
    private final FaultCounters faults = new FaultCounters();
    private final List<String> safetyViolations = new ArrayList<>();
    private long nowNs;
    private long eventOrder;
    private long messagesInFlight;
    private long messagesSent;
    private long messagesDuplicated;
    private int faultEventsPending;
    private boolean timeBoundReached;

    public Simulation(final SimulationConfig config, final ProtocolFactory factory)
    {
        this.config = config;
        this.factory = factory;
        this.random = new SplittableRandom(config.seed);
        this.latency = config.latencyMatrix();
        if (latency.size() != config.replicas)
        {
            throw new IllegalArgumentException("latency matrix has " + latency.size() + " sites for " +
                config.replicas + " replicas");
        }
        this.network = config.networkFaults();
        this.partitions = config.partitions;
        this.crashes = config.crashes;
        partitions.validate(config.replicas);
        crashes.validate(config.replicas);
        this.clientTimeoutNs = config.clientTimeoutNs > 0 ? config.clientTimeoutNs :
            config.phaseTimeoutNs + 8 * (maxOneWayNs(latency) + config.maxJitterNs);
        this.executionOrder = new ExecutionOrderChecker(config.replicas);
        this.replicas = new SimReplica[config.replicas];
        this.gatheringBatch = new CommandBatchWriter[config.replicas];
        this.gatheringBuffer = new ExpandableArrayBuffer[config.replicas];
        for (int i = 0; i < config.replicas; i++)
        {
            gatheringBatch[i] = new CommandBatchWriter();
            gatheringBuffer[i] = new ExpandableArrayBuffer(1024);
        }
        this.latencyBySite = new Histogram[config.replicas];
        for (int i = 0; i < config.replicas; i++)
        {
            replicas[i] = new SimReplica(i, this, factory, config);
            latencyBySite[i] = new Histogram(3);
        }
        final int[] homes = config.clientHomesOrDefault();
        for (int clientId = 0; clientId < homes.length; clientId++)
        {
            if (homes[clientId] < 0 || homes[clientId] >= config.replicas)
            {
                throw new IllegalArgumentException("client " + clientId + " at replica " + homes[clientId] +
                    " of a cluster of " + config.replicas);
            }
            clients.add(new SimClient(clientId, homes[clientId], config, history));
        }
    }

    private static long maxOneWayNs(final LatencyMatrix latency)
    {
        long max = 0;
        for (int from = 0; from < latency.size(); from++)
        {
            for (int to = 0; to < latency.size(); to++)
            {
                max = Math.max(max, latency.oneWayNs(from, to));
            }
        }
        return max;
    }

    public SimulationResult run()
    {
        final long started = System.nanoTime();
        for (final SimClient client : clients)
        {
            schedule(config.clientStartNs + random.nextLong(config.maxThinkTimeNs + 1), CLIENT_SUBMIT, client.clientId,
                client.home, null);
        }
        schedule(config.tickIntervalNs, TICK, -1, -1, null);
        for (int i = 0; i < crashes.count(); i++)
        {
            final CrashSchedule.Crash crash = crashes.get(i);
            schedule(crash.crashAtNs, CRASH, i, crash.replica, null);
            schedule(crash.restartAtNs, RESTART, i, crash.replica, null);
            faultEventsPending += 2;
        }
        faults.partitions = partitions.count();

        while (!events.isEmpty())
        {
            final Event event = events.poll();
            if (event.timeNs > config.maxSimulatedNs)
            {
                timeBoundReached = true;
                break;
            }
            nowNs = event.timeNs;
            switch (event.type)
            {
                case MESSAGE:
                    messagesInFlight--;
                    if (!replicas[event.to].isUp())
                    {
                        faults.messagesToCrashedReplica++;
                        break;
                    }
                    deliveryView.wrap(event.bytes);
                    replicas[event.to].onMessage(event.from, deliveryView, 0, event.bytes.length);
                    break;

                case TICK:
                    onTick();
                    break;

                case CLIENT_SUBMIT:
                    onClientSubmit(clients.get(event.from));
                    break;

                case CRASH:
                    onCrashDue(crashes.get(event.from));
                    break;

                case RESTART:
                    onRestartDue(event.to);
                    break;

                case BATCH_DUE:
                    proposeBatch(event.to);
                    break;

                default:
                    throw new IllegalStateException("unknown event " + event.type);
            }
        }
        return check(System.nanoTime() - started);
    }

    private void onTick()
    {
        for (final SimReplica replica : replicas)
        {
            if (replica.isUp())
            {
                replica.onTick(nowNs);
            }
        }
        for (final SimClient client : clients)
        {
            if (client.timedOut(nowNs, clientTimeoutNs))
            {
                resend(client);
            }
        }
        if (!finished())
        {
            schedule(nowNs + config.tickIntervalNs, TICK, -1, -1, null);
        }
    }

    private void onClientSubmit(final SimClient client)
    {
        if (nowNs >= config.clientPauseFromNs && nowNs < config.clientPauseUntilNs)
        {
            schedule(config.clientPauseUntilNs, CLIENT_SUBMIT, client.clientId, client.home, null);
            return;
        }
        final int length = client.next(random, nowNs);
        if (length > 0)
        {
            if (replicas[client.target()].isUp())
            {
                submit(client.target(), client);
            }
            else
            {
                resend(client); // the client finds its replica down: straight to the next one
            }
        }
    }

    /** The same request (same clientId and requestNumber) to the next replica that is up, round-robin. */
    private void resend(final SimClient client)
    {
        int target;
        do
        {
            target = client.retarget(replicas.length, nowNs);
            faults.clientRetries++;
        }
        while (!replicas[target].isUp());
        submit(target, client);
    }

    /**
     * Hands a client's request to a replica: on its own, or (with batching) into the batch the replica is gathering,
     * proposed when the window closes or the batch is full, like the runtime's one-instance-per-duty-cycle batches.
     */
    private void submit(final int replica, final SimClient client)
    {
        if (config.maxBatchCommands <= 1)
        {
            replicas[replica].submit(client.batch(), 0, client.batchLength());
            return;
        }
        final CommandBatchWriter writer = gatheringBatch[replica];
        if (writer.addedCount() == 0)
        {
            writer.begin(gatheringBuffer[replica], 0, config.maxBatchCommands);
            schedule(nowNs + config.batchWindowNs, BATCH_DUE, -1, replica, null);
        }
        client.appendTo(writer);
        if (writer.addedCount() == config.maxBatchCommands)
        {
            proposeBatch(replica);
        }
    }

    private void proposeBatch(final int replica)
    {
        final CommandBatchWriter writer = gatheringBatch[replica];
        if (writer.addedCount() == 0)
        {
            return; // proposed already, because it filled up before its window closed
        }
        final int length = writer.end();
        if (replicas[replica].isUp())
        {
            replicas[replica].submit(gatheringBuffer[replica], 0, length); // the core copies the batch
        }
        writer.begin(gatheringBuffer[replica], 0, 1); // empty again: the next request starts a new batch
    }

    private void onCrashDue(final CrashSchedule.Crash crash)
    {
        faultEventsPending--;
        if (crash.torn)
        {
            faults.tornCrashes++;
            replicas[crash.replica].crashAfterNextEvent();
        }
        else
        {
            replicas[crash.replica].crash();
        }
    }

    private void onRestartDue(final int replica)
    {
        faultEventsPending--;
        if (replicas[replica].crashPending())
        {
            replicas[replica].crash(); // torn, but no event reached it before its restart: it dies idle
        }
        faults.restarts++;
        replicas[replica].restart();
    }

    /** Called by a replica that checkpointed; {@code restart}: by one whose restart replayed from a checkpoint. */
    void onCheckpoint(final boolean restart)
    {
        if (restart)
        {
            faults.restartsFromCheckpoint++;
        }
        else
        {
            faults.checkpoints++;
        }
    }

    /** Called by a replica that just crashed: its clients notice at once and go elsewhere. */
    void onCrashed(final int replica, final int unsentMessages)
    {
        gatheringBatch[replica].begin(gatheringBuffer[replica], 0, 1); // the batch being gathered dies with it
        faults.crashes++;
        faults.messagesUnsentAtCrash += unsentMessages;
        for (final SimClient client : clients)
        {
            if (client.waiting() && client.target() == replica)
            {
                resend(client);
            }
        }
    }

    void onSafetyViolation(final String violation)
    {
        safetyViolations.add(violation);
    }

    private boolean finished()
    {
        if (messagesInFlight > 0 || faultEventsPending > 0 || nowNs < partitions.healedAtNs() ||
            nowNs < config.lossUntilNs)
        {
            return false;
        }
        for (final SimReplica replica : replicas)
        {
            if (replica.crashPending())
            {
                return false;
            }
        }
        for (final SimClient client : clients)
        {
            if (!client.done())
            {
                return false;
            }
        }
        // protocols keep working after the clients finish (catch-up via periodic Progress): wait until every replica
        // executed the same instances, or the simulated-time bound, which the liveness check then reports
        final Set<Long> executedAtFirst = executionOrder.executedAt(0);
        for (int r = 1; r < replicas.length; r++)
        {
            if (!executionOrder.executedAt(r).equals(executedAtFirst))
            {
                return false;
            }
        }
        return true;
    }

    public void message(final int from, final int to, final DirectBuffer buffer, final int offset, final int length)
    {
        messagesSent++;
        if (partitions.separates(from, to, nowNs))
        {
            faults.messagesCut++;
            return;
        }
        if (!network.deliver(from, to, nowNs, random))
        {
            faults.messagesLost++;
            return;
        }
        final int copies = 1 + network.duplicates(from, to, nowNs, random);
        messagesDuplicated += copies - 1;
        for (int i = 0; i < copies; i++)
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            final long delay = latency.oneWayNs(from, to) + network.jitterNs(from, to, nowNs, random);
            messagesInFlight++;
            schedule(nowNs + delay, MESSAGE, from, to, bytes);
        }
    }

    /**
     * A replica applied a command: if it is the replica the client last sent the request to, answer the client. Only
     * that one, because a client holds one session at a time (see {@link SimClient}).
     */
    public void reply(
        final int replica, final long clientId, final long requestNumber,
        final DirectBuffer result, final int offset, final int length)
    {
        final SimClient client = clients.get((int)clientId);
        if (client.target() != replica || !client.waiting() || client.requestNumber() != requestNumber)
        {
            return;
        }
        if (length == 0)
        {
            // DeduplicatingStateMachine answers only duplicates of superseded requests with nothing: none is awaited
            onSafetyViolation("client " + clientId + " waiting on request " + requestNumber + " got an empty answer " +
                "from replica " + replica);
            return;
        }
        latencyBySite[client.home].recordValue(nowNs - client.invokedAtNs());
        client.onResponse(result, offset, nowNs);
        if (!client.done())
        {
            schedule(nowNs + random.nextLong(config.maxThinkTimeNs + 1), CLIENT_SUBMIT, client.clientId, client.home,
                null);
        }
    }

    private void schedule(final long timeNs, final int type, final int from, final int to, final byte[] bytes)
    {
        events.add(new Event(timeNs, eventOrder++, type, from, to, bytes));
    }

    private SimulationResult check(final long wallNs)
    {
        final List<String> safety = new ArrayList<>(agreement.violations());
        safety.addAll(executionOrder.check());
        safety.addAll(safetyViolations);
        final List<String> liveness = new ArrayList<>();

        long completed = 0;
        for (final SimClient client : clients)
        {
            completed += client.completed();
            if (!client.done())
            {
                liveness.add("liveness: client " + client.clientId + " at replica " + client.home +
                    " completed " + client.completed() + " of " + config.commandsPerClient + " commands" +
                    (client.waiting() ? " (waiting on replica " + client.target() + ")" : ""));
            }
        }
        if (faultEventsPending > 0)
        {
            liveness.add("liveness: the simulated time bound passed with " + faultEventsPending +
                " crash or restart events still due");
        }
        final String end = timeBoundReached ?
            "when the simulated time bound of " + config.maxSimulatedNs / 1e9 + " s ended the run" :
            "once the network was quiet";
        final Set<Long> executedAtFirst = executionOrder.executedAt(0);
        boolean sameInstancesEverywhere = true;
        for (int r = 1; r < replicas.length; r++)
        {
            final Set<Long> executed = executionOrder.executedAt(r);
            if (!executed.equals(executedAtFirst))
            {
                sameInstancesEverywhere = false;
                liveness.add("replica " + r + " executed " + executed.size() + " instances but replica 0 executed " +
                    executedAtFirst.size() + " " + end + " (" + examplesOfDifference(executedAtFirst, executed, r) +
                    ")");
            }
        }
        if (sameInstancesEverywhere)
        {
            safety.addAll(ReplicaStates.differences(replicas, history));
        }

        String linearizability = "skipped";
        if (config.checkLinearizability)
        {
            final LinearizabilityChecker.Result result =
                LinearizabilityChecker.check(history, config.linearizabilityBudget);
            if (result.ok())
            {
                linearizability = "ok";
            }
            else if (result.unknown())
            {
                linearizability = "unknown (search budget exceeded)";
            }
            else
            {
                linearizability = "violated";
                safety.add("linearizability: " + result);
            }
        }

        final ProtocolCounters total = new ProtocolCounters();
        for (final SimReplica replica : replicas)
        {
            replica.addCountersTo(total);
            faults.duplicatesSkipped += replica.duplicatesSkipped();
        }
        final String[] siteNames = new String[replicas.length];
        for (int i = 0; i < replicas.length; i++)
        {
            siteNames[i] = latency.name(i);
        }
        return new SimulationResult(config, safety, liveness, completed, nowNs, wallNs, total, messagesSent,
            messagesDuplicated, faults, agreement.decidedInstances(), linearizability, siteNames, latencyBySite);
    }

    private static String examplesOfDifference(final Set<Long> atFirst, final Set<Long> atOther, final int other)
    {
        final StringBuilder sb = new StringBuilder();
        appendExamples(atFirst, atOther, "only replica 0 executed ", sb);
        appendExamples(atOther, atFirst, "only replica " + other + " executed ", sb);
        return sb.toString();
    }

    private static void appendExamples(
        final Set<Long> from, final Set<Long> without, final String label, final StringBuilder sb)
    {
        int shown = 0;
        for (final long dot : new TreeSet<>(from))
        {
            if (!without.contains(dot))
            {
                sb.append(shown == 0 ? (sb.length() == 0 ? "" : "; ") + label : ", ");
                if (shown++ == 3)
                {
                    sb.append("...");
                    return;
                }
                sb.append(Dot.toString(dot));
            }
        }
    }

    LatencyMatrix latency()
    {
        return latency;
    }

    int replicaCount()
    {
        return replicas.length;
    }

    AgreementChecker agreement()
    {
        return agreement;
    }

    ExecutionOrderChecker executionOrder()
    {
        return executionOrder;
    }

    SimReplica replica(final int id)
    {
        return replicas[id];
    }

    public History history()
    {
        return history;
    }
}
