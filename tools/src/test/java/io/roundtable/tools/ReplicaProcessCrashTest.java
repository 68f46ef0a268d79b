package io.roundtable.tools;

import io.roundtable.driver.LoopbackPorts;
import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.roundtable.client.ClientContext;
import io.roundtable.client.RoundtableClient;
import io.roundtable.config.ClusterTopology;
import io.roundtable.config.ProtocolName;
import io.roundtable.driver.MediaDriverPresets;
import io.roundtable.runtime.ReplicaCounter;
import io.roundtable.runtime.ReplicaCounters;
import io.roundtable.sim.check.History;
import io.roundtable.sim.check.LinearizabilityChecker;
import io.roundtable.statemachine.KeyValueCommands;
import io.roundtable.workload.KeyValueWorkload;
import org.agrona.CloseHelper;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three replicas as real OS processes ({@code roundtable replica}, each with its own media driver), loaded by
 * closed-loop clients in this JVM. Mid-load, replica 2 is killed with SIGKILL (no shutdown hook, no flush, no
 * goodbye), left down for a while, then started again on the same journal and Aeron directory. It must replay its
 * journal, rejoin, catch up with what was decided without it, end with the same number of executed commands as the
 * others, and itself answer reads of every key the clients touched (a few seconds after the crash, so before its
 * peers would have dropped their image of its dead streams); the whole history, those reads included, must be
 * linearizable: no acknowledged write is lost. Finally every replica must stop in order on SIGTERM. Replicas
 * checkpoint every MiB of journal, so the restarted one restores from a checkpoint rather than from nothing.
 */
class ReplicaProcessCrashTest
{
    private static final int REPLICAS = 3;
    private static final int VICTIM = 2;
    private static final int CLIENTS_PER_REPLICA = 3;
    private static final double CONFLICT_RATE = 0.3;
    private static final double READ_RATIO = 0.25;
    private static final long REQUEST_TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long LOAD_NS = TimeUnit.SECONDS.toNanos(8);
    private static final long EXTRA_LOAD_NS = TimeUnit.SECONDS.toNanos(20);
    private static final long DRAIN_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long KILL_AFTER_MS = 2_500;
    private static final long DOWN_FOR_MS = 2_000;
    private static final long UP_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);
    private static final long CONVERGE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    private static final long READ_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    private static final long MIN_COMPLETED = 1_000;
    private static final int SIGKILL_EXIT_CODE = 128 + 9;
    private static final int READER_CLIENT_ID = 1 << 20;
    private static final String MAIN_CLASS = "io.roundtable.tools.RoundtableCli";

    @TempDir
    Path temp;

    private final String tag = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    private final String[] aeronDirs = new String[REPLICAS];
    private final Process[] replicas = new Process[REPLICAS];
    private final int[] incarnations = new int[REPLICAS];
    private final List<Path> logs = new ArrayList<>();
    private Path topologyFile;

    @Test
    void killedReplicaRestartsFromItsJournalCatchesUpAndNoAcknowledgedWriteIsLost() throws Exception
    {
        final ClusterTopology topology = ClusterTopology.localhost(
            ProtocolName.EPAXOS, REPLICAS, LoopbackPorts.baseOfFreeRun(2 * REPLICAS), temp.resolve("journal"))
            .withCheckpointMb(1);
        topologyFile = temp.resolve("topology.properties");
        Files.writeString(topologyFile, topology.toString());
        final File shm = new File("/dev/shm");
        final String aeronParent = shm.isDirectory() ? shm.getPath() : System.getProperty("java.io.tmpdir");
        for (int id = 0; id < REPLICAS; id++)
        {
            aeronDirs[id] = new File(aeronParent, "roundtable-crashtest-" + tag + "-" + id).getAbsolutePath();
        }

        final long seed = ThreadLocalRandom.current().nextLong();
        final IdleStrategy idle = new BackoffIdleStrategy();
        final History history = new History();
        MediaDriver driver = null;
        Aeron aeron = null;
        KeyValueWorkload workload = null;
        RoundtableClient reader = null;
        try
        {
            for (int id = 0; id < REPLICAS; id++)
            {
                start(id);
            }
            for (int id = 0; id < REPLICAS; id++)
            {
                awaitUp(id);
            }

            driver = MediaDriver.launchEmbedded(MediaDriverPresets.shared().build());
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
            workload = new KeyValueWorkload(aeron, topology.clientEndpoints(), REPLICAS * CLIENTS_PER_REPLICA,
                CONFLICT_RATE, READ_RATIO, Long.BYTES, seed, REQUEST_TIMEOUT_NS, history);
            workload.awaitConnected(TimeUnit.SECONDS.toNanos(30), idle);

            final KeyValueWorkload load = workload;
            final AtomicReference<Throwable> loadFailure = new AtomicReference<>();
            final Thread loadThread = new Thread(
                () ->
                {
                    try
                    {
                        final IdleStrategy loadIdle = new BackoffIdleStrategy();
                        load.run(Long.MAX_VALUE, LOAD_NS, 0, loadIdle, null);
                        // On a crowded machine, go on until MIN_COMPLETED answers (for at most EXTRA_LOAD_NS more):
                        // what matters is load across the crash, not speed. Else this only drains what is in flight.
                        load.run(MIN_COMPLETED + 1, EXTRA_LOAD_NS, DRAIN_NS, loadIdle, null);
                    }
                    catch (final Throwable ex)
                    {
                        loadFailure.set(ex);
                    }
                },
                "crash-test-load");
            final long loadStartNs = System.nanoTime();
            loadThread.start();

            Thread.sleep(KILL_AFTER_MS);
            awaitCounter(VICTIM, ReplicaCounter.CHECKPOINTS, 1); // so that the restart has a checkpoint to start at
            final long executedBeforeKill = readCounter(VICTIM, ReplicaCounter.COMMANDS_EXECUTED);
            final long checkpointsBeforeKill = readCounter(VICTIM, ReplicaCounter.CHECKPOINTS);
            final Process victim = replicas[VICTIM];
            final long victimPid = victim.pid();
            victim.destroyForcibly();
            assertTrue(victim.waitFor(30, TimeUnit.SECONDS), "replica " + VICTIM + " still alive after SIGKILL");
            assertFalse(ProcessHandle.of(victimPid).map(ProcessHandle::isAlive).orElse(false),
                "process " + victimPid + " of replica " + VICTIM + " still alive");
            final int victimExit = victim.exitValue();
            if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"))
            {
                assertEquals(SIGKILL_EXIT_CODE, victimExit, "exit code of replica " + VICTIM + " (SIGKILL = 128 + 9)");
            }
            final long killedAtMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loadStartNs);

            Thread.sleep(DOWN_FOR_MS);
            start(VICTIM);
            awaitUp(VICTIM);
            awaitCounter(VICTIM, ReplicaCounter.RESTORED_FROM_CHECKPOINT, 1);
            final long upAgainAtMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loadStartNs);

            loadThread.join(TimeUnit.NANOSECONDS.toMillis(LOAD_NS + EXTRA_LOAD_NS + DRAIN_NS) + 30_000);
            assertFalse(loadThread.isAlive(), "the workload did not stop");
            if (null != loadFailure.get())
            {
                throw new AssertionError("the workload failed", loadFailure.get());
            }
            final long completed = workload.completed();
            System.out.printf("crash test: seed %d, %d commands answered (%d issued, %d timeouts, %d in flight " +
                "at the end); replica %d killed at %d ms (exit %d, %d executed, %d checkpoints), up again from a " +
                "checkpoint at %d ms%n", seed, completed, workload.issued(), workload.timeouts(),
                workload.outstanding(), VICTIM, killedAtMs, victimExit, executedBeforeKill, checkpointsBeforeKill,
                upAgainAtMs);
            assertTrue(completed > MIN_COMPLETED, "commands answered: " + completed);

            final long[] executed = awaitSameExecutedCount();
            System.out.println("crash test: executed after catch-up " + Arrays.toString(executed));

            reader = new RoundtableClient(new ClientContext()
                .aeron(aeron)
                .replicaEndpoints(topology.clientEndpoints())
                .preferredReplica(VICTIM)
                .maxOutstanding(1)
                .requestTimeoutNs(TimeUnit.SECONDS.toNanos(5)));
            readEveryTouchedKey(reader, history, idle);
            // A restarted replica whose peers still hold off its new streams can receive but not send, so it cannot
            // commit what it is asked: the reader would time out and move on to another replica.
            assertEquals(0, reader.failovers(), "replica " + VICTIM + " should have answered every read itself");

            final LinearizabilityChecker.Result result = LinearizabilityChecker.check(history);
            assertTrue(result.ok(), () -> "history of " + history.size() + " operations (seed " + seed + "): " +
                result);

            final long[] executedAfterReads = awaitSameExecutedCount();
            System.out.println("crash test: executed after the reads " + Arrays.toString(executedAfterReads));
            assertTrue(executedAfterReads[0] >= executed[0] + touchedKeys().length,
                "every replica executes the reads too: " + Arrays.toString(executedAfterReads));

            stopGracefully();
            for (int id = 0; id < REPLICAS; id++)
            {
                assertNoDutyCycleErrors(id);
            }
        }
        catch (final Throwable ex)
        {
            printLogs();
            throw ex;
        }
        finally
        {
            CloseHelper.quietCloseAll(reader, workload, aeron, driver);
            stopAll();
            for (final String dir : aeronDirs)
            {
                if (null != dir)
                {
                    IoUtil.delete(new File(dir), true);
                }
            }
        }
    }

    /** The hot key and the private key of every lane of every client the workload runs (see KeyValueWorkload). */
    private static long[] touchedKeys()
    {
        final long[] keys = new long[1 + REPLICAS * CLIENTS_PER_REPLICA];
        int i = 0;
        keys[i++] = KeyValueWorkload.HOT_KEY;
        for (int client = 0; client < REPLICAS; client++)
        {
            for (int lane = 0; lane < CLIENTS_PER_REPLICA; lane++)
            {
                keys[i++] = (((long)client + 1) << 32) + lane;
            }
        }
        return keys;
    }

    private static void readEveryTouchedKey(
        final RoundtableClient reader, final History history, final IdleStrategy idle)
    {
        final KeyValueCommands kv = new KeyValueCommands();
        final ExpandableArrayBuffer payload = new ExpandableArrayBuffer(64);
        final ExpandableArrayBuffer result = new ExpandableArrayBuffer(64);
        final long[] keys = new long[1];
        for (final long key : touchedKeys())
        {
            keys[0] = key;
            final int length = kv.get(payload, 0, key);
            final int operation = history.invokeGet(READER_CLIENT_ID, key, System.nanoTime());
            reader.execute(false, keys, 1, payload, 0, length, result, READ_TIMEOUT_NS, idle);
            history.complete(operation, kv.resultLong(result, 0, History.ABSENT), System.nanoTime());
        }
    }

    /**
     * Waits until every replica has published the same, positive COMMANDS_EXECUTED and it has stayed put for 300 ms.
     * A restarted replica counts from its checkpoint's count: it restores the checkpoint, re-executes the journal
     * after it, then what it learns from its peers, so a settled equal count means it has executed every command the
     * others have.
     */
    private long[] awaitSameExecutedCount() throws InterruptedException
    {
        final Aeron[] clients = new Aeron[REPLICAS];
        try
        {
            for (int id = 0; id < REPLICAS; id++)
            {
                clients[id] = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDirs[id]));
            }
            final long deadlineNs = System.nanoTime() + CONVERGE_TIMEOUT_NS;
            final long[] executed = new long[REPLICAS];
            long agreedCount = -1;
            long agreedSinceNs = 0;
            while (true)
            {
                for (int id = 0; id < REPLICAS; id++)
                {
                    executed[id] = ReplicaCounters.read(
                        clients[id].countersReader(), id, ReplicaCounter.COMMANDS_EXECUTED);
                }
                final long nowNs = System.nanoTime();
                if (executed[0] > 0 && Arrays.stream(executed).allMatch((count) -> count == executed[0]))
                {
                    // Replicas still catching up can pass through the same count together: only a count that
                    // stays put (no workload runs now) means each has executed every command.
                    if (executed[0] != agreedCount)
                    {
                        agreedCount = executed[0];
                        agreedSinceNs = nowNs;
                    }
                    else if (nowNs - agreedSinceNs >= TimeUnit.MILLISECONDS.toNanos(300))
                    {
                        return executed;
                    }
                }
                else
                {
                    agreedCount = -1;
                }
                if (nowNs - deadlineNs > 0)
                {
                    throw new AssertionError("replicas did not converge within " +
                        TimeUnit.NANOSECONDS.toSeconds(CONVERGE_TIMEOUT_NS) + " s; commands executed by replica " +
                        "0.." + (REPLICAS - 1) + ": " + Arrays.toString(executed) + "; other counters:\n" +
                        describeCounters(clients));
                }
                Thread.sleep(20);
            }
        }
        finally
        {
            CloseHelper.quietCloseAll(clients);
        }
    }

    private static String describeCounters(final Aeron[] clients)
    {
        final StringBuilder text = new StringBuilder();
        for (int id = 0; id < clients.length; id++)
        {
            text.append("  replica ").append(id).append(':');
            for (final ReplicaCounter counter : ReplicaCounter.values())
            {
                text.append(' ').append(counter.name().toLowerCase(Locale.ROOT)).append('=')
                    .append(ReplicaCounters.read(clients[id].countersReader(), id, counter));
            }
            text.append('\n');
        }
        return text.toString();
    }

    /** A counter of a running replica, through a short-lived client (closed before the replica dies). */
    private long readCounter(final int id, final ReplicaCounter counter)
    {
        try (Aeron client = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDirs[id])))
        {
            return ReplicaCounters.read(client.countersReader(), id, counter);
        }
    }

    /** Waits until a running replica publishes at least {@code atLeast} (it publishes once its replay is done). */
    private void awaitCounter(final int id, final ReplicaCounter counter, final long atLeast)
        throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + UP_TIMEOUT_NS;
        long value;
        while ((value = readCounter(id, counter)) < atLeast)
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("replica " + id + " " + counter + " is " + value + ", expected at least " +
                    atLeast);
            }
            Thread.sleep(20);
        }
    }

    private void start(final int id) throws IOException
    {
        final int incarnation = incarnations[id]++;
        final Path out = temp.resolve("replica-" + id + "-" + incarnation + ".out");
        final Path err = temp.resolve("replica-" + id + "-" + incarnation + ".err");
        logs.add(out);
        logs.add(err);
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(inheritedJvmFlags());
        command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS, "replica",
            "--topology", topologyFile.toString(), "--id", Integer.toString(id), "--aeron-dir", aeronDirs[id]));
        replicas[id] = new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    }

    /**
     * The flags Chronicle Queue needs on Java 17, as this JVM got them from the build: {@code --add-opens} and
     * {@code --add-exports} (as {@code --add-opens=x} or as two arguments) and Chronicle's {@code -D} switches.
     */
    private static List<String> inheritedJvmFlags()
    {
        final List<String> arguments = ManagementFactory.getRuntimeMXBean().getInputArguments();
        final List<String> flags = new ArrayList<>();
        for (int i = 0; i < arguments.size(); i++)
        {
            final String argument = arguments.get(i);
            if (argument.equals("--add-opens") || argument.equals("--add-exports"))
            {
                flags.add(argument);
                if (i + 1 < arguments.size())
                {
                    flags.add(arguments.get(++i));
                }
            }
            else if (argument.startsWith("--add-opens=") || argument.startsWith("--add-exports=") ||
                argument.startsWith("-Dchronicle."))
            {
                flags.add(argument);
            }
        }
        return flags;
    }

    /** Waits for the "replica <id> of" line of the replica's latest incarnation. */
    private void awaitUp(final int id) throws IOException, InterruptedException
    {
        final Process process = replicas[id];
        final Path out = temp.resolve("replica-" + id + "-" + (incarnations[id] - 1) + ".out");
        final String upLine = "replica " + id + " of";
        final long deadlineNs = System.nanoTime() + UP_TIMEOUT_NS;
        while (true)
        {
            if (Files.exists(out))
            {
                for (final String line : Files.readAllLines(out, StandardCharsets.UTF_8))
                {
                    if (line.startsWith(upLine))
                    {
                        return;
                    }
                }
            }
            if (!process.isAlive())
            {
                throw new AssertionError("replica " + id + " exited with " + process.exitValue() +
                    " before it was up");
            }
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("replica " + id + " not up within " +
                    TimeUnit.NANOSECONDS.toSeconds(UP_TIMEOUT_NS) + " s");
            }
            Thread.sleep(20);
        }
    }

    /** ReplicaNode reports an exception escaping a duty cycle as "replica <id>: <exception>" on stderr. */
    private void assertNoDutyCycleErrors(final int id) throws IOException
    {
        for (int incarnation = 0; incarnation < incarnations[id]; incarnation++)
        {
            final Path err = temp.resolve("replica-" + id + "-" + incarnation + ".err");
            for (final String line : Files.readAllLines(err, StandardCharsets.UTF_8))
            {
                assertFalse(line.startsWith("replica " + id + ":"),
                    "duty cycle error in incarnation " + incarnation + " of replica " + id + ": " + line);
            }
        }
    }

    /** SIGTERM: every replica says it is stopping and exits (closing its journal, deleting its Aeron directory). */
    private void stopGracefully() throws IOException, InterruptedException
    {
        for (final Process process : replicas)
        {
            process.destroy();
        }
        for (int id = 0; id < REPLICAS; id++)
        {
            assertTrue(replicas[id].waitFor(30, TimeUnit.SECONDS), "replica " + id + " still running 30 s after " +
                "SIGTERM");
            final Path out = temp.resolve("replica-" + id + "-" + (incarnations[id] - 1) + ".out");
            final int exitCode = replicas[id].exitValue();
            assertTrue(Files.readAllLines(out, StandardCharsets.UTF_8).contains("replica " + id + " stopping"),
                "replica " + id + " exited with " + exitCode + " without stopping in order");
            assertFalse(new File(aeronDirs[id]).exists(), "replica " + id + " left its Aeron directory behind");
        }
    }

    /** SIGTERM first, so replicas close their journals and delete their Aeron directories; SIGKILL if that hangs. */
    private void stopAll() throws InterruptedException
    {
        for (final Process process : replicas)
        {
            if (null != process)
            {
                process.destroy();
            }
        }
        for (final Process process : replicas)
        {
            if (null != process && !process.waitFor(15, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                process.waitFor(15, TimeUnit.SECONDS);
            }
        }
    }

    private void printLogs()
    {
        for (final Path log : logs)
        {
            try
            {
                final List<String> lines = Files.exists(log) ?
                    Files.readAllLines(log, StandardCharsets.UTF_8) : List.of("(missing)");
                System.err.println("----- " + log.getFileName() + " (" + lines.size() + " lines, last 200) -----");
                lines.subList(Math.max(0, lines.size() - 200), lines.size()).forEach(System.err::println);
            }
            catch (final IOException ex)
            {
                System.err.println("----- " + log.getFileName() + ": " + ex);
            }
        }
    }
}
