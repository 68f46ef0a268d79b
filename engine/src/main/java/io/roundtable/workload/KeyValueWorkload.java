package io.roundtable.workload;

import io.aeron.Aeron;
import io.roundtable.client.ClientContext;
import io.roundtable.client.RoundtableClient;
import io.roundtable.runtime.ClientIds;
import io.roundtable.sim.check.History;
import io.roundtable.statemachine.KeyValueCommands;
import org.HdrHistogram.Histogram;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop key-value workload against a cluster, as the EPaxos/Atlas/Tempo papers define it: each of
 * {@code clients} closed-loop clients issues its next command when the previous one is answered; a command writes
 * the shared hot key with probability {@code conflictRate}, else the client's private key; a fraction
 * {@code readRatio} of commands are GETs. Clients are spread over every replica (one {@link RoundtableClient} per
 * replica, one lane per closed-loop client), all driven by the calling thread, allocation-free once warm.
 * <p>
 * Latency, submit to answer, goes into an HdrHistogram; optionally every operation goes into a {@link History} for
 * the linearizability checker (which allocates; leave it null when measuring).
 */
public final class KeyValueWorkload implements AutoCloseable
{
    /** The key every conflicting command touches. */
    public static final long HOT_KEY = 0;

    private final RoundtableClient[] clients;
    private final int[] clientsPerReplica;
    private final long privateKeySpace;
    private final double conflictRate;
    private final double readRatio;
    private final int valueLength;
    private final History history;
    private final SplittableRandom random;
    private final KeyValueCommands kv = new KeyValueCommands();
    private final ExpandableArrayBuffer payload = new ExpandableArrayBuffer(256);
    private final UnsafeBuffer value;
    private long[] keys = new long[1];
    private int keysPerCommand = 1;
    private ZipfKeys zipf;
    /** Per client and lane: when its request went out, -1 when none is outstanding. */
    private final long[][] sentAtNs;
    /** Per client and lane: the request's operation in the history, or -1 for a PUT (whose output is ignored). */
    private final int[][] historyOperation;
    private final boolean[][] isGet;
    private final Histogram latencyNs = new Histogram(3_600_000_000_000L, 3);
    /** The same latencies split by the replica (site) whose clients sent the commands. */
    private final Histogram[] siteLatencyNs;
    private LatencyTimeline timeline;
    private long nextValue = 1;
    private long maxLatencyNs;
    private long completed;
    /** What another thread may read of this workload while it runs: completions and the longest latency. */
    private final AtomicLong completedVisible = new AtomicLong();
    private final AtomicLong maxLatencyVisibleNs = new AtomicLong();
    private long issued;
    private int answeringClient;

    /**
     * @param clients closed-loop clients in total, spread evenly over the replicas (at least one each).
     */
    public KeyValueWorkload(
        final Aeron aeron, final String[] replicaClientEndpoints, final int clients, final double conflictRate,
        final double readRatio, final int valueLength, final long seed, final long requestTimeoutNs,
        final History history)
    {
        this(aeron, replicaClientEndpoints, clients, conflictRate, readRatio, valueLength, seed, requestTimeoutNs,
            history, 0);
    }

    /**
     * @param workloadIndex which of several workloads driving one cluster from several threads this is: each gets
     *                      its own private keys, so only the hot key is shared between them.
     */
    public KeyValueWorkload(
        final Aeron aeron, final String[] replicaClientEndpoints, final int clients, final double conflictRate,
        final double readRatio, final int valueLength, final long seed, final long requestTimeoutNs,
        final History history, final int workloadIndex)
    {
        if (conflictRate < 0 || conflictRate > 1 || readRatio < 0 || readRatio > 1)
        {
            throw new IllegalArgumentException("conflict rate and read ratio are fractions in [0, 1]: conflict=" +
                conflictRate + " reads=" + readRatio);
        }
        if (valueLength < Long.BYTES)
        {
            throw new IllegalArgumentException("values are at least 8 bytes (they carry a unique number): " +
                valueLength);
        }
        final int replicas = replicaClientEndpoints.length;
        if (clients < replicas)
        {
            throw new IllegalArgumentException("at least one client per replica: " + clients + " < " + replicas);
        }
        this.privateKeySpace = (long)workloadIndex * replicas;
        this.conflictRate = conflictRate;
        this.readRatio = readRatio;
        this.valueLength = valueLength;
        this.history = history;
        this.random = new SplittableRandom(seed);
        this.value = new UnsafeBuffer(new byte[valueLength]);
        this.clients = new RoundtableClient[replicas];
        this.clientsPerReplica = new int[replicas];
        this.sentAtNs = new long[replicas][];
        this.historyOperation = new int[replicas][];
        this.isGet = new boolean[replicas][];
        this.siteLatencyNs = new Histogram[replicas];
        for (int r = 0; r < replicas; r++)
        {
            siteLatencyNs[r] = new Histogram(3_600_000_000_000L, 3);
            clientsPerReplica[r] = clients / replicas + (r < clients % replicas ? 1 : 0);
            sentAtNs[r] = new long[clientsPerReplica[r]];
            Arrays.fill(sentAtNs[r], -1);
            historyOperation[r] = new int[clientsPerReplica[r]];
            isGet[r] = new boolean[clientsPerReplica[r]];
            final int clientIndex = r;
            this.clients[r] = new RoundtableClient(new ClientContext()
                .aeron(aeron)
                .replicaEndpoints(replicaClientEndpoints)
                .preferredReplica(r)
                .maxOutstanding(clientsPerReplica[r])
                .requestTimeoutNs(requestTimeoutNs)
                .listener((correlationId, result, offset, length) ->
                    onResponse(clientIndex, correlationId, result, offset, length)));
        }
    }

    /**
     * Draws keys from a Zipf distribution instead of the conflict model: every command's key is a Zipf draw, so
     * conflicts come from popular keys rather than from one hot key (the conflict rate is then ignored). Call before
     * running.
     */
    public KeyValueWorkload zipf(final ZipfKeys zipf)
    {
        this.zipf = zipf;
        return this;
    }

    /**
     * Commands declare {@code count} keys: the first is the one the key-value operation acts on, the others (Zipf
     * draws, or more keys of the client's own) only widen what the command conflicts with, as multi-key commands do
     * for the protocols (more dependencies, Tempo's multi-key stability). Call before running.
     */
    public KeyValueWorkload keysPerCommand(final int count)
    {
        if (count < 1 || count > 64)
        {
            throw new IllegalArgumentException("keys per command must be in [1, 64], got " + count);
        }
        this.keysPerCommand = count;
        this.keys = new long[count];
        return this;
    }

    /**
     * Runs until {@code commands} have been answered or {@code durationNs} has passed, whichever comes first, then
     * stops issuing and waits up to {@code drainNs} for answers in flight.
     */
    public void run(
        final long commands, final long durationNs, final long drainNs, final IdleStrategy idle,
        final ProgressListener progress)
    {
        final long startNs = System.nanoTime();
        final long endNs = startNs + durationNs;
        maxLatencyNs = 0;
        long nextReportNs = startNs + 1_000_000_000L;
        long completedAtLastReport = completed;
        while (completed < commands && System.nanoTime() - endNs < 0)
        {
            int work = 0;
            for (int c = 0; c < clients.length; c++)
            {
                work += clients[c].poll();
                while (issued < commands && clients[c].outstanding() < clientsPerReplica[c])
                {
                    if (!issue(c, System.nanoTime()))
                    {
                        break;
                    }
                    work++;
                }
            }
            final long nowNs = System.nanoTime();
            if (null != progress && nowNs - nextReportNs >= 0)
            {
                progress.onSecond(
                    (nowNs - startNs) / 1_000_000_000L, completed - completedAtLastReport, completed, maxLatencyNs);
                maxLatencyNs = 0;
                completedAtLastReport = completed;
                nextReportNs += 1_000_000_000L;
            }
            idle.idle(work);
        }
        drain(drainNs, idle);
    }

    /**
     * Open loop: sends {@code ratePerSecond} commands a second, round-robin over the replicas, for
     * {@code durationNs}, then waits up to {@code drainNs} for answers in flight. Latency is measured from each
     * command's <em>scheduled</em> send time, so a stall that delays sending shows up in the latencies instead of
     * quietly lowering the rate (no coordinated omission). A command whose turn comes while every lane of its client
     * is busy waits for a lane, its clock already running.
     */
    public void runAtRate(
        final long ratePerSecond, final long durationNs, final long drainNs, final IdleStrategy idle,
        final ProgressListener progress)
    {
        final long startNs = System.nanoTime();
        final long endNs = startNs + durationNs;
        maxLatencyNs = 0;
        final double intervalNs = 1e9 / ratePerSecond;
        long scheduled = 0;
        long nextReportNs = startNs + 1_000_000_000L;
        long completedAtLastReport = completed;
        long nowNs;
        while ((nowNs = System.nanoTime()) - endNs < 0)
        {
            int work = 0;
            for (final RoundtableClient client : clients)
            {
                work += client.poll();
            }
            long dueNs;
            while ((dueNs = startNs + (long)(scheduled * intervalNs)) - nowNs <= 0 && dueNs - endNs < 0)
            {
                if (!issue((int)(scheduled % clients.length), dueNs))
                {
                    break; // every lane of that client busy: this command waits, its latency growing
                }
                scheduled++;
                work++;
            }
            if (null != progress && nowNs - nextReportNs >= 0)
            {
                progress.onSecond(
                    (nowNs - startNs) / 1_000_000_000L, completed - completedAtLastReport, completed, maxLatencyNs);
                maxLatencyNs = 0;
                completedAtLastReport = completed;
                nextReportNs += 1_000_000_000L;
            }
            idle.idle(work);
        }
        drain(drainNs, idle);
    }

    private void drain(final long drainNs, final IdleStrategy idle)
    {
        final long drainEndNs = System.nanoTime() + drainNs;
        while (outstanding() > 0 && System.nanoTime() - drainEndNs < 0)
        {
            int work = 0;
            for (final RoundtableClient client : clients)
            {
                work += client.poll();
            }
            idle.idle(work);
        }
    }

    /** Waits until every client has heard its replica acknowledge the connection. */
    public void awaitConnected(final long timeoutNs, final IdleStrategy idle)
    {
        final long deadlineNs = System.nanoTime() + timeoutNs;
        for (final RoundtableClient client : clients)
        {
            while (!client.isConnected())
            {
                if (System.nanoTime() - deadlineNs > 0)
                {
                    throw new IllegalStateException("client of replica " + client.replica() + " not connected in time");
                }
                idle.idle(client.poll());
            }
        }
    }

    public Histogram latencyNs()
    {
        return latencyNs;
    }

    /** The latencies of the commands sent by the clients of replica {@code replica} only. */
    public Histogram siteLatencyNs(final int replica)
    {
        return siteLatencyNs[replica];
    }

    /** Also records each answer's latency by when it came ({@code null}: not). Set it before running. */
    public void timeline(final LatencyTimeline timeline)
    {
        this.timeline = timeline;
    }

    /** Forgets every latency recorded so far, all sites: the start of a measured window. */
    public void resetLatencies()
    {
        latencyNs.reset();
        for (final Histogram site : siteLatencyNs)
        {
            site.reset();
        }
    }

    public long completed()
    {
        return completed;
    }

    /** {@link #completed()} as another thread can see it while this workload runs. */
    public long completedSoFar()
    {
        return completedVisible.get();
    }

    /** The longest latency since the last call, readable from another thread while this workload runs. */
    public long takeMaxLatencyNs()
    {
        return maxLatencyVisibleNs.getAndSet(0);
    }

    public long issued()
    {
        return issued;
    }

    public int outstanding()
    {
        int outstanding = 0;
        for (final RoundtableClient client : clients)
        {
            outstanding += client.outstanding();
        }
        return outstanding;
    }

    public long timeouts()
    {
        long timeouts = 0;
        for (final RoundtableClient client : clients)
        {
            timeouts += client.timeouts();
        }
        return timeouts;
    }

    public void close()
    {
        CloseHelper.closeAll(clients);
    }

    /** Sends one command on client {@code c} if it has a free lane; its latency counts from {@code sendTimeNs}. */
    private boolean issue(final int c, final long sendTimeNs)
    {
        final RoundtableClient client = clients[c];
        final boolean conflicting = random.nextDouble() < conflictRate;
        final boolean read = random.nextDouble() < readRatio;
        final int lane = client.nextLane();
        if (lane < 0)
        {
            return false;
        }
        final long unique = nextValue++;
        final int length;
        final long ownKey = ((privateKeySpace + c + 1) << 32) + lane;
        final long key = null != zipf ? zipf.nextKey(random) : conflicting ? HOT_KEY : ownKey;
        if (read)
        {
            length = kv.get(payload, 0, key);
        }
        else
        {
            value.putLong(0, unique, ByteOrder.LITTLE_ENDIAN);
            length = kv.put(payload, 0, key, value, 0, valueLength);
        }
        keys[0] = key;
        for (int k = 1; k < keysPerCommand; k++)
        {
            keys[k] = null != zipf ? distinctZipfKey(k) : ownKey + ((long)k << 20);
        }
        final long correlationId = client.offer(!read, keys, keysPerCommand, payload, 0, length);
        if (correlationId < 0)
        {
            return false;
        }
        issued++;
        final long invokedNs = System.nanoTime();
        sentAtNs[c][lane] = sendTimeNs;
        isGet[c][lane] = read;
        if (null != history)
        {
            final int clientId = c * ClientIds.MAX_LANES + lane;
            historyOperation[c][lane] = read ? history.invokeGet(clientId, key, invokedNs) :
                history.invokePut(clientId, key, unique, invokedNs);
        }
        return true;
    }

    /** A Zipf draw unlike keys[0..k): a command declares each key once. */
    private long distinctZipfKey(final int k)
    {
        for (int attempt = 0; attempt < 16; attempt++)
        {
            final long candidate = zipf.nextKey(random);
            boolean fresh = true;
            for (int i = 0; i < k && fresh; i++)
            {
                fresh = keys[i] != candidate;
            }
            if (fresh)
            {
                return candidate;
            }
        }
        return ZipfKeys.KEY_BASE + zipf.count() + k; // a rarely hit spare key beyond the distribution's range
    }

    private void onResponse(
        final int c, final long correlationId, final DirectBuffer result, final int offset, final int length)
    {
        final long nowNs = System.nanoTime();
        final int lane = RoundtableClient.laneOf(correlationId);
        final long sentNs = sentAtNs[c][lane];
        if (sentNs < 0)
        {
            return;
        }
        sentAtNs[c][lane] = -1;
        final long latency = Math.max(0, nowNs - sentNs);
        latencyNs.recordValue(latency);
        siteLatencyNs[c].recordValue(latency);
        if (null != timeline)
        {
            timeline.record(nowNs, latency);
        }
        maxLatencyNs = Math.max(maxLatencyNs, latency);
        completed++;
        completedVisible.lazySet(completed);
        if (latency > maxLatencyVisibleNs.get())
        {
            maxLatencyVisibleNs.lazySet(latency); // a sampler's reset may race this: a display value, no more
        }
        if (null != history)
        {
            final long output = isGet[c][lane] ? kv.resultLong(result, offset, History.ABSENT) : 0;
            history.complete(historyOperation[c][lane], output, nowNs);
        }
    }

    /** Called once a second from {@link #run}. */
    @FunctionalInterface
    public interface ProgressListener
    {
        /**
         * @param maxLatencyNs the longest latency among this second's answers: where in a run its tail happened.
         */
        void onSecond(long second, long completedThisSecond, long completedTotal, long maxLatencyNs);
    }
}
