package io.roundtable.sim;

import io.roundtable.protocol.ProtocolCounters;
import io.roundtable.sim.check.AgreementChecker;
import io.roundtable.sim.check.ExecutionOrderChecker;
import io.roundtable.sim.check.History;
import io.roundtable.sim.check.LinearizabilityChecker;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The deterministic simulator: N replicas, closed-loop clients, a virtual clock and one seeded random generator for
 * everything (delays, faults, workload), so a run is a pure function of its {@link SimulationConfig}. Runs until every
 * client has finished and the network is quiet, then checks agreement, execution order, linearizability and
 * liveness. A failing run's seed replays it exactly.
 */
public final class Simulation
{
    private static final int MESSAGE = 0;
    private static final int TICK = 1;
    private static final int CLIENT_SUBMIT = 2;

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
    private final NetworkFaults faults;
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final SimReplica[] replicas;
    private final List<SimClient> clients = new ArrayList<>();
    private final History history = new History();
    private final AgreementChecker agreement = new AgreementChecker();
    private final ExecutionOrderChecker executionOrder;
    private final UnsafeBuffer deliveryView = new UnsafeBuffer(0, 0);
    private final Histogram[] latencyBySite;
    private long nowNs;
    private long eventOrder;
    private long messagesInFlight;
    private long messagesSent;
    private long messagesDuplicated;
    private long messagesLost;

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
        this.faults = config.networkFaults();
        this.executionOrder = new ExecutionOrderChecker(config.replicas);
        this.replicas = new SimReplica[config.replicas];
        this.latencyBySite = new Histogram[config.replicas];
        for (int i = 0; i < config.replicas; i++)
        {
            replicas[i] = new SimReplica(i, this, factory, config);
            latencyBySite[i] = new Histogram(3);
        }
        int clientId = 0;
        for (int r = 0; r < config.replicas; r++)
        {
            for (int c = 0; c < config.clientsPerReplica; c++)
            {
                clients.add(new SimClient(clientId++, r, config, history));
            }
        }
    }

    public SimulationResult run()
    {
        final long started = System.nanoTime();
        for (final SimClient client : clients)
        {
            schedule(random.nextLong(config.maxThinkTimeNs + 1), CLIENT_SUBMIT, client.clientId, client.replica, null);
        }
        schedule(config.tickIntervalNs, TICK, -1, -1, null);

        while (!events.isEmpty())
        {
            final Event event = events.poll();
            if (event.timeNs > config.maxSimulatedNs)
            {
                break;
            }
            nowNs = event.timeNs;
            switch (event.type)
            {
                case MESSAGE:
                    messagesInFlight--;
                    deliveryView.wrap(event.bytes);
                    replicas[event.to].onMessage(event.from, deliveryView, 0, event.bytes.length);
                    break;

                case TICK:
                    for (final SimReplica replica : replicas)
                    {
                        replica.onTick(nowNs);
                    }
                    if (!finished())
                    {
                        schedule(nowNs + config.tickIntervalNs, TICK, -1, -1, null);
                    }
                    break;

                case CLIENT_SUBMIT:
                    final SimClient client = clients.get(event.from);
                    final int length = client.next(random, nowNs);
                    if (length > 0)
                    {
                        replicas[client.replica].submit(client.batch(), 0, length);
                    }
                    break;

                default:
                    throw new IllegalStateException("unknown event " + event.type);
            }
        }
        return check(System.nanoTime() - started);
    }

    private boolean finished()
    {
        if (messagesInFlight > 0)
        {
            return false;
        }
        for (final SimClient client : clients)
        {
            if (!client.done())
            {
                return false;
            }
        }
        return true;
    }

    void send(final int from, final int to, final DirectBuffer buffer, final int length)
    {
        messagesSent++;
        if (!faults.deliver(from, to, nowNs, random))
        {
            messagesLost++;
            return;
        }
        final int copies = 1 + faults.duplicates(from, to, nowNs, random);
        messagesDuplicated += copies - 1;
        for (int i = 0; i < copies; i++)
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(0, bytes);
            final long delay = latency.oneWayNs(from, to) + faults.jitterNs(from, to, nowNs, random);
            messagesInFlight++;
            schedule(nowNs + delay, MESSAGE, from, to, bytes);
        }
    }

    /** A replica applied a command; if it is the coordinator the client waits on, answer the client. */
    void onApplied(
        final int replica, final long clientId, final long requestNumber,
        final DirectBuffer result, final int offset, final int length)
    {
        final SimClient client = clients.get((int)clientId);
        if (client.replica != replica || !client.waiting() || client.requestNumber() != requestNumber)
        {
            return;
        }
        latencyBySite[replica].recordValue(nowNs - client.invokedAtNs());
        client.onResponse(result, offset, nowNs);
        if (!client.done())
        {
            schedule(nowNs + random.nextLong(config.maxThinkTimeNs + 1), CLIENT_SUBMIT, client.clientId, replica,
                null);
        }
    }

    private void schedule(final long timeNs, final int type, final int from, final int to, final byte[] bytes)
    {
        events.add(new Event(timeNs, eventOrder++, type, from, to, bytes));
    }

    private SimulationResult check(final long wallNs)
    {
        final List<String> violations = new ArrayList<>(agreement.violations());
        violations.addAll(executionOrder.check());

        long completed = 0;
        for (final SimClient client : clients)
        {
            completed += client.completed();
            if (!client.done())
            {
                violations.add("liveness: client " + client.clientId + " at replica " + client.replica +
                    " completed " + client.completed() + " of " + config.commandsPerClient + " commands");
            }
        }
        final Set<Long> executedAtFirst = executionOrder.executedAt(0);
        for (int r = 1; r < replicas.length; r++)
        {
            final Set<Long> executed = executionOrder.executedAt(r);
            if (!executed.equals(executedAtFirst))
            {
                violations.add("replica " + r + " executed " + executed.size() + " instances but replica 0 executed " +
                    executedAtFirst.size() + " once the network was quiet");
            }
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
                violations.add("linearizability: " + result);
            }
        }

        final ProtocolCounters total = new ProtocolCounters();
        for (final SimReplica replica : replicas)
        {
            final ProtocolCounters c = replica.protocol.counters();
            total.proposed += c.proposed;
            total.committed += c.committed;
            total.fastPath += c.fastPath;
            total.slowPath += c.slowPath;
            total.recoveries += c.recoveries;
            total.messagesIn += c.messagesIn;
            total.messagesOut += c.messagesOut;
            total.malformedDropped += c.malformedDropped;
            total.nacksSent += c.nacksSent;
        }
        final String[] siteNames = new String[replicas.length];
        for (int i = 0; i < replicas.length; i++)
        {
            siteNames[i] = latency.name(i);
        }
        return new SimulationResult(config, violations, completed, nowNs, wallNs, total, messagesSent,
            messagesDuplicated, messagesLost, agreement.decidedInstances(), linearizability, siteNames, latencyBySite);
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

    public History history()
    {
        return history;
    }
}
