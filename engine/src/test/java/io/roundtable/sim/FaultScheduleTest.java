package io.roundtable.sim;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fault schedules and network faults on their own, without a simulation. */
class FaultScheduleTest
{
    private static final long MS = 1_000_000L;

    @Test
    void randomCrashSchedulesNeverTakeDownMoreThanFAndRestartEveryReplica()
    {
        for (final int replicas : new int[]{3, 5, 7})
        {
            final int f = (replicas - 1) / 2;
            for (long seed = 1; seed <= 500; seed++)
            {
                final CrashSchedule schedule =
                    CrashSchedule.random(new SplittableRandom(seed), replicas, 6, 500 * MS, 20 * MS, 600 * MS, 0.3);
                assertTrue(schedule.count() >= 1, "the first candidate always fits");
                for (int i = 0; i < schedule.count(); i++)
                {
                    final CrashSchedule.Crash crash = schedule.get(i);
                    assertTrue(crash.restartAtNs > crash.crashAtNs && crash.restartAtNs < Long.MAX_VALUE);
                    int down = 0;
                    for (int j = 0; j < schedule.count(); j++)
                    {
                        final CrashSchedule.Crash other = schedule.get(j);
                        if (other.crashAtNs <= crash.crashAtNs && crash.crashAtNs <= other.restartAtNs)
                        {
                            down++;
                        }
                    }
                    assertTrue(down <= f, "seed " + seed + " N=" + replicas + ": " + down + " down at once in " +
                        schedule);
                }
            }
        }
    }

    @Test
    void crashScheduleRefusesMoreThanFDownAtOnce()
    {
        final CrashSchedule schedule = CrashSchedule.of(
            new CrashSchedule.Crash(0, 10 * MS, 50 * MS, false),
            new CrashSchedule.Crash(1, 40 * MS, 60 * MS, false));
        assertThrows(IllegalArgumentException.class, () -> schedule.validate(3));
        schedule.validate(5);
    }

    @Test
    void crashScheduleRefusesToCrashAReplicaThatIsDown()
    {
        final CrashSchedule schedule = CrashSchedule.of(
            new CrashSchedule.Crash(2, 10 * MS, 50 * MS, false),
            new CrashSchedule.Crash(2, 40 * MS, 60 * MS, true));
        assertThrows(IllegalArgumentException.class, () -> schedule.validate(5));
    }

    @Test
    void everyCrashEndsInARestart()
    {
        assertThrows(IllegalArgumentException.class, () -> new CrashSchedule.Crash(0, 10, 10, false));
        assertThrows(IllegalArgumentException.class, () -> new CrashSchedule.Crash(0, 10, Long.MAX_VALUE, false));
    }

    @Test
    void partitionSeparatesOnlyReplicasOfDifferentGroupsWhileItLasts()
    {
        final PartitionSchedule schedule = PartitionSchedule.of(10 * MS, 20 * MS, 0, 0, 1, 1, 2);
        assertFalse(schedule.separates(0, 2, 10 * MS - 1), "not yet");
        assertTrue(schedule.separates(0, 2, 10 * MS));
        assertTrue(schedule.separates(2, 0, 15 * MS), "both directions");
        assertTrue(schedule.separates(3, 4, 15 * MS));
        assertFalse(schedule.separates(0, 1, 15 * MS), "same group");
        assertFalse(schedule.separates(2, 3, 15 * MS), "same group");
        assertFalse(schedule.separates(0, 2, 20 * MS), "healed");
        assertEquals(20 * MS, schedule.healedAtNs());
    }

    @Test
    void everyPartitionHeals()
    {
        assertThrows(IllegalArgumentException.class, () -> PartitionSchedule.of(10, Long.MAX_VALUE, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> PartitionSchedule.of(10, 10, 0, 1, 1));
    }

    @Test
    void randomPartitionsHealAndSplitTheReplicasIntoAtLeastTwoGroups()
    {
        for (long seed = 1; seed <= 500; seed++)
        {
            final PartitionSchedule schedule =
                PartitionSchedule.random(new SplittableRandom(seed), 5, 3, 500 * MS, 20 * MS, 400 * MS);
            assertTrue(schedule.count() >= 1);
            assertTrue(schedule.healedAtNs() > 0 && schedule.healedAtNs() < 500 * MS + 400 * MS,
                schedule.toString());
            boolean splitsSomeone = false;
            for (long t = 0; t < schedule.healedAtNs(); t += MS)
            {
                for (int a = 0; a < 5; a++)
                {
                    for (int b = 0; b < 5; b++)
                    {
                        splitsSomeone |= schedule.separates(a, b, t);
                    }
                }
            }
            assertTrue(splitsSomeone, schedule.toString());
            assertFalse(schedule.separates(0, 1, schedule.healedAtNs()));
        }
    }

    @Test
    void lossDropsOnlyInsideItsWindow()
    {
        final NetworkFaults loss = NetworkFaults.randomLoss(1.0, 10, 20);
        final SplittableRandom random = new SplittableRandom(1);
        assertTrue(loss.deliver(0, 1, 9, random));
        assertFalse(loss.deliver(0, 1, 10, random));
        assertFalse(loss.deliver(0, 1, 19, random));
        assertTrue(loss.deliver(0, 1, 20, random));
    }

    @Test
    void noLossDrawsNothingFromTheGenerator()
    {
        final SplittableRandom used = new SplittableRandom(42);
        final SplittableRandom untouched = new SplittableRandom(42);
        final NetworkFaults loss = NetworkFaults.randomLoss(0.0, 0, 1_000);
        for (int i = 0; i < 100; i++)
        {
            assertTrue(loss.deliver(0, 1, i, used));
        }
        assertEquals(untouched.nextLong(), used.nextLong());
    }

    @Test
    void combinedFaultsDeliverOnlyWhatBothDeliverAndAddUpDelays()
    {
        final NetworkFaults cut = NetworkFaults.partitions(PartitionSchedule.of(0, 100, 0, 1, 1));
        final NetworkFaults slow = NetworkFaults.jitterAndDuplication(0, 1.0);
        final NetworkFaults both = slow.and(cut);
        final SplittableRandom random = new SplittableRandom(7);
        assertFalse(both.deliver(0, 1, 50, random));
        assertTrue(both.deliver(1, 2, 50, random));
        assertTrue(both.deliver(0, 1, 100, random));
        assertEquals(1, both.duplicates(1, 2, 50, random));
        assertEquals(0, both.jitterNs(1, 2, 50, random));
    }

    @Test
    void faultyScheduleRunsTheFaultFreeScheduleWorkload()
    {
        for (long seed = 1; seed <= 50; seed++)
        {
            final String faultFree = RandomizedSchedules.config(seed, 5).describe();
            assertTrue(RandomizedSchedules.faultyConfig(seed, 5).describe().startsWith(faultFree));
            assertTrue(RandomizedSchedules.faultyConfig(seed, 5, FaultMix.NONE).describe().equals(faultFree));
        }
    }

    @Test
    void faultySchedulesDrawEveryMixAndEveryFaultEnds()
    {
        final Set<String> seen = new HashSet<>();
        for (long seed = 1; seed <= 200; seed++)
        {
            final SimulationConfig config = RandomizedSchedules.faultyConfig(seed, 5);
            seen.add((config.lossProbability > 0 ? "loss " : "") + (config.partitions.isEmpty() ? "" : "partitions ") +
                (config.crashes.isEmpty() ? "" : "crashes"));
            assertTrue(config.faultsOverAtNs() < config.maxSimulatedNs / 10, config.describe());
        }
        assertEquals(Set.of("", "loss ", "partitions ", "crashes", "loss partitions crashes"), seen);
        assertEquals(FaultMix.values().length, seen.size(), "every mix draws a distinct set of faults");
    }
}
