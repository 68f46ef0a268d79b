package io.roundtable.sim;

import io.roundtable.protocol.ProtocolFactory;
import io.roundtable.codecs.InstanceRecordDecoder;
import io.roundtable.codecs.InstanceStatus;
import io.roundtable.codecs.MessageHeaderDecoder;
import io.roundtable.protocol.Dot;
import io.roundtable.sim.check.Operation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault machinery in scenarios that need no recovery: each fault is placed where the EPaxos commit path alone
 * (with its phase-timeout widening) must still be safe, and where stated, live.
 */
class SimulationFaultsTest
{
    private static final long MS = 1_000_000L;

    private static SimulationResult run(final SimulationConfig config)
    {
        return new Simulation(config, ProtocolFactory.EPAXOS).run();
    }

    @Test
    void partitionThatHealsBeforeTheFirstCommandChangesNothing()
    {
        final SimulationConfig config = new SimulationConfig().seed(21).replicas(5).clientStartNs(50 * MS);
        final Simulation plain = new Simulation(config, ProtocolFactory.EPAXOS);
        final SimulationResult plainResult = plain.run();
        final Simulation partitioned = new Simulation(
            new SimulationConfig().seed(21).replicas(5).clientStartNs(50 * MS)
                .partitions(PartitionSchedule.of(0, 40 * MS, 0, 0, 1, 1, 1)),
            ProtocolFactory.EPAXOS);
        final SimulationResult result = partitioned.run();

        assertTrue(result.ok(), result.toString());
        assertEquals(1, result.faults().partitions);
        assertEquals(0, result.faults().messagesCut);
        assertEquals(plain.history().toString(), partitioned.history().toString());
        assertEquals(plainResult.messagesSent(), result.messagesSent());
        assertEquals(plainResult.simulatedNs(), result.simulatedNs());
    }

    @Test
    void majorityKeepsCommittingSafelyWhileAMinorityIsPartitionedAway()
    {
        // Replica 4 has no clients and is in no thrifty quorum: nothing the majority decides waits for it.
        final SimulationConfig config = new SimulationConfig().seed(8).replicas(5).clientHomes(0, 1, 2, 3)
            .commandsPerClient(20).conflictRate(0.5)
            .partitions(PartitionSchedule.of(0, 400 * MS, 0, 0, 0, 0, 1))
            .maxSimulatedNs(5_000 * MS);
        final SimulationResult result = run(config);

        assertEquals(List.of(), result.safetyViolations(), result.toString());
        assertEquals(4 * 20, result.commandsCompleted(), result.toString());
        assertTrue(result.faults().messagesCut > 0, result.toString());
    }

    @Test
    void heavyDuplicationAndJitterKeepEveryCheckGreen()
    {
        final SimulationResult result = run(new SimulationConfig().seed(9).replicas(5).commandsPerClient(30)
            .conflictRate(0.5).maxJitterNs(3 * MS).duplicateProbability(0.5));

        assertTrue(result.ok(), result.toString());
        assertTrue(result.messagesDuplicated() > result.messagesSent() / 4, result.toString());
    }

    @Test
    void replicaRestartedWithNothingInFlightReplaysItsJournalThenTakesPartAgain()
    {
        final RecordingProtocol.Log log = new RecordingProtocol.Log();
        final SimulationConfig config = new SimulationConfig().seed(3).replicas(3).commandsPerClient(20)
            .conflictRate(0.5)
            .clientPause(30 * MS, 1_000 * MS)
            .crashes(CrashSchedule.of(new CrashSchedule.Crash(1, 300 * MS, 600 * MS, false)));
        final Simulation simulation = new Simulation(config, log.around(ProtocolFactory.EPAXOS));
        final SimulationResult result = simulation.run();

        assertTrue(result.ok(), result.toString());
        assertEquals(1, result.faults().crashes);
        assertEquals(1, result.faults().restarts);
        // messages do reach the crashed replica meanwhile: the others' periodic Progress (garbage collection)
        assertEquals(0, result.faults().clientRetries, "no client was waiting on the crashed replica");
        assertTrue(completedBefore(simulation, 300 * MS) > 0, "commands before the crash");
        assertTrue(invokedFrom(simulation, 1_000 * MS) > 0, "commands after the restart");

        final List<RecordingProtocol> incarnations = log.of(1);
        assertEquals(2, incarnations.size());
        final List<String> inputs = incarnations.get(1).inputs;
        final int replayed = inputs.lastIndexOf("replay") + 1;
        assertTrue(replayed > 0, "the journal was replayed");
        assertEquals(List.of(), inputs.subList(0, replayed).stream().filter(input -> !"replay".equals(input)).toList(),
            "nothing reached the restarted replica before its whole journal was replayed");
        assertTrue(inputs.subList(replayed, inputs.size()).contains("message"), "it takes part after the restart");
    }

    @Test
    void tornCrashKeepsTheJournaledVoteAndLosesItsReply()
    {
        // Replica 0's one command goes to its closest peer, 1, whose PreAccept arrives at 1.5 ms, after the 1 ms tick.
        final SimulationConfig config = new SimulationConfig().seed(1).replicas(3).clientHomes(0)
            .commandsPerClient(1).maxThinkTimeNs(0).uniformOneWayNs(1_500_000L).maxJitterNs(0)
            .duplicateProbability(0)
            .crashes(CrashSchedule.of(new CrashSchedule.Crash(1, 1_200_000L, 50 * MS, true)));
        final Simulation simulation = new Simulation(config, ProtocolFactory.EPAXOS);
        final SimulationResult result = simulation.run();

        assertTrue(result.ok(), result.toString());
        assertEquals(1, result.faults().tornCrashes);
        assertEquals(1, result.faults().crashes);
        assertEquals(1, result.faults().messagesUnsentAtCrash, "the PreAcceptOk never left");
        assertTrue(result.latency(0).getMaxValue() >= config.phaseTimeoutNs,
            "the coordinator heard nothing until it widened to every replica");

        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final InstanceRecordDecoder record = new InstanceRecordDecoder();
        final SimReplica replica = simulation.replica(1);
        final List<String> journaled = new ArrayList<>();
        replica.journal.replay((buffer, offset, length) ->
        {
            record.wrapAndApplyHeader(buffer, offset, header);
            journaled.add(Dot.toString(record.dot()) + " " + record.status());
        });
        assertEquals(Dot.toString(Dot.of(0, 1)) + " " + InstanceStatus.PRE_ACCEPTED, journaled.get(0),
            "the vote of the torn event survived the crash");
        assertEquals(2, replica.incarnations());
    }

    @Test
    void crashedMemberOfEveryThriftyQuorumOnlyDelaysCommits()
    {
        // With uniform latency every coordinator's thrifty fast quorum (itself and two closest peers) includes 1.
        final SimulationConfig config = new SimulationConfig().seed(5).replicas(5).clientsPerReplica(1)
            .commandsPerClient(10).conflictRate(0).uniformOneWayNs(MS).maxJitterNs(MS / 2)
            .clientStartNs(MS)
            .crashes(CrashSchedule.of(new CrashSchedule.Crash(1, 0, 1_000 * MS, false)))
            .maxSimulatedNs(10_000 * MS);
        final SimulationResult result = run(config);

        assertEquals(List.of(), result.safetyViolations(), result.toString());
        assertEquals(5 * 10, result.commandsCompleted(), result.toString());
        assertTrue(result.counters().slowPath > 0, "conflict-free commands took the slow path: coordinators widened");
        assertTrue(result.counters().fastPath > 0, "and the fast path again once replica 1 was back");
        assertTrue(result.faults().clientRetries > 0, "replica 1's client went elsewhere");
        assertTrue(result.faults().messagesToCrashedReplica > 0);
        assertTrue(result.latency(0).getMaxValue() >= config.phaseTimeoutNs);
    }

    @Test
    void retriedRequestsAreAppliedOnceAndAnsweredOnce()
    {
        // A client timeout shorter than a commit: nearly every request is re-sent, and every copy commits.
        final SimulationResult result = run(new SimulationConfig().seed(13).replicas(3).commandsPerClient(20)
            .conflictRate(0.5).uniformOneWayNs(2 * MS).maxJitterNs(2 * MS).clientTimeoutNs(3 * MS));

        assertTrue(result.ok(), result.toString());
        assertTrue(result.faults().clientRetries > 0, result.toString());
        assertTrue(result.faults().duplicatesSkipped > 0, result.toString());
        assertTrue(result.decidedInstances() > result.commandsCompleted(), result.toString());
    }

    @Test
    void executorsMissingDependencyReachesTheProtocolOnTheNextTick()
    {
        // Replica 0 never reaches replica 2, which learns of (1,1) but never of its dependency (0,1).
        final RecordingProtocol.Log log = new RecordingProtocol.Log();
        final NetworkFaults zeroToTwoCut = new NetworkFaults()
        {
            public boolean deliver(final int from, final int to, final long nowNs, final SplittableRandom random)
            {
                return !(from == 0 && to == 2);
            }

            public int duplicates(final int from, final int to, final long nowNs, final SplittableRandom random)
            {
                return 0;
            }

            public long jitterNs(final int from, final int to, final long nowNs, final SplittableRandom random)
            {
                return 0;
            }
        };
        final SimulationConfig config = new SimulationConfig().seed(2).replicas(3).clientHomes(0, 1)
            .commandsPerClient(1).conflictRate(1.0).hotKeys(1).readRatio(0).casRatio(0).maxThinkTimeNs(0)
            .faults(zeroToTwoCut).maxSimulatedNs(2_000 * MS);
        final SimulationResult result = new Simulation(config, log.around(ProtocolFactory.EPAXOS)).run();

        assertEquals(2, result.commandsCompleted(), result.toString());
        final List<Long> missingAtTwo = log.of(2).get(0).missingDependencies;
        assertTrue(missingAtTwo.contains(Dot.of(0, 1)), missingAtTwo.toString());
        assertTrue(missingAtTwo.stream().allMatch(dot -> dot == Dot.of(0, 1)), missingAtTwo.toString());
    }

    @Test
    void protocolSendingWhileReplayingItsJournalIsReported()
    {
        final RecordingProtocol.Log log = new RecordingProtocol.Log();
        log.sendWhileReplaying = true;
        final SimulationConfig config = new SimulationConfig().seed(3).replicas(3).commandsPerClient(5)
            .clientPause(30 * MS, 1_000 * MS)
            .crashes(CrashSchedule.of(new CrashSchedule.Crash(1, 300 * MS, 600 * MS, false)));
        final SimulationResult result = new Simulation(config, log.around(ProtocolFactory.EPAXOS)).run();

        assertTrue(result.safetyViolations().stream().anyMatch(v -> v.contains("while replaying its journal")),
            result.toString());
    }

    @Test
    void zeroLossRunsExactlyLikeALosslessNetwork()
    {
        for (long seed = 1; seed <= 20; seed++)
        {
            final SimulationConfig lossless = RandomizedSchedules.config(seed, 5);
            final SimulationConfig zeroLoss = RandomizedSchedules.config(seed, 5).faults(
                NetworkFaults.jitterAndDuplication(lossless.maxJitterNs, lossless.duplicateProbability)
                    .and(NetworkFaults.randomLoss(0.0, 0, Long.MAX_VALUE)));
            final Simulation a = new Simulation(lossless, ProtocolFactory.EPAXOS);
            final Simulation b = new Simulation(zeroLoss, ProtocolFactory.EPAXOS);
            assertEquals(a.run().fingerprint(), b.run().fingerprint(), "seed " + seed);
            assertEquals(a.history().toString(), b.history().toString(), "seed " + seed);
        }
    }

    @Test
    void sameSeedSameFaultsSameRun()
    {
        for (long seed = 1; seed <= 5; seed++)
        {
            final Simulation first =
                new Simulation(RandomizedSchedules.faultyConfig(seed, 5, FaultMix.EVERYTHING), ProtocolFactory.EPAXOS);
            final Simulation second =
                new Simulation(RandomizedSchedules.faultyConfig(seed, 5, FaultMix.EVERYTHING), ProtocolFactory.EPAXOS);
            final SimulationResult firstResult = first.run();
            final SimulationResult secondResult = second.run();

            assertTrue(firstResult.faults().crashes > 0 && firstResult.faults().partitions > 0, firstResult.toString());
            assertEquals(firstResult.fingerprint(), secondResult.fingerprint(), "seed " + seed);
            assertEquals(first.history().toString(), second.history().toString(), "seed " + seed);
        }
    }

    private static long completedBefore(final Simulation simulation, final long timeNs)
    {
        return simulation.history().operations().stream()
            .filter(op -> op.completed() && op.completeTimeNs() < timeNs).count();
    }

    private static long invokedFrom(final Simulation simulation, final long timeNs)
    {
        return simulation.history().operations().stream().map(Operation::invokeTimeNs).filter(t -> t >= timeNs).count();
    }
}
