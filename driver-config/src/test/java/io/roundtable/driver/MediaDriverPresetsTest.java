package io.roundtable.driver;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.exceptions.ConfigurationException;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.io.File;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MediaDriverPresetsTest
{
    @Test
    void sharedPresetIsOneThreadWithSmallSparseTermsAndAFreshSelfDeletingDirectory()
    {
        final MediaDriver.Context context = MediaDriverPresets.shared().build();

        assertEquals(ThreadingMode.SHARED, context.threadingMode());
        assertEquals(1024 * 1024, context.publicationTermBufferLength());
        assertEquals(1024 * 1024, context.ipcTermBufferLength());
        assertEquals(1408, context.mtuLength());
        assertEquals(1408, context.ipcMtuLength());
        assertTrue(context.termBufferSparseFile());
        assertTrue(context.dirDeleteOnStart());
        assertTrue(context.dirDeleteOnShutdown());
        assertInstanceOf(BackoffIdleStrategy.class, context.sharedIdleStrategy());
        assertUniqueDirectoryName(context.aeronDirectoryName());
    }

    @Test
    void dedicatedPresetGivesEachDriverThreadItsOwnIdleStrategyInstance()
    {
        final MediaDriver.Context context = MediaDriverPresets.dedicated()
            .idleStrategy(IdleStrategyChoice.BUSY_SPIN)
            .build();

        assertEquals(ThreadingMode.DEDICATED, context.threadingMode());
        assertEquals(16 * 1024 * 1024, context.publicationTermBufferLength());
        assertEquals(16 * 1024 * 1024, context.ipcTermBufferLength());
        assertEquals(false, context.termBufferSparseFile());
        assertInstanceOf(BusySpinIdleStrategy.class, context.conductorIdleStrategy());
        assertInstanceOf(BusySpinIdleStrategy.class, context.senderIdleStrategy());
        assertInstanceOf(BusySpinIdleStrategy.class, context.receiverIdleStrategy());
        assertNotSame(context.senderIdleStrategy(), context.receiverIdleStrategy());
        assertUniqueDirectoryName(context.aeronDirectoryName());
    }

    @Test
    void everyBuildGetsItsOwnDirectoryUnlessOneIsSet()
    {
        final MediaDriverPresets.Builder builder = MediaDriverPresets.shared();

        assertNotEquals(builder.build().aeronDirectoryName(), builder.build().aeronDirectoryName());

        builder.aeronDirectoryName("/dev/shm/roundtable-shared-by-two-processes");
        assertEquals("/dev/shm/roundtable-shared-by-two-processes", builder.build().aeronDirectoryName());
    }

    @Test
    void explicitTermLengthAndMtuReachBothUdpAndIpc()
    {
        final MediaDriver.Context context = MediaDriverPresets.shared()
            .termLength(64 * 1024)
            .mtuLength(8192)
            .idleStrategy(IdleStrategyChoice.SLEEPING)
            .build();

        assertEquals(64 * 1024, context.publicationTermBufferLength());
        assertEquals(64 * 1024, context.ipcTermBufferLength());
        assertEquals(8192, context.mtuLength());
        assertEquals(8192, context.ipcMtuLength());
    }

    @Test
    void termLengthBelow64KiBNamesTheMinimumAndAValidValue()
    {
        final String message = configurationError(() -> MediaDriverPresets.shared().termLength(32 * 1024));

        assertContains(message, "termLength 32768 is below Aeron's minimum of 65536");
        assertContains(message, "use 65536 or a larger power of two");
    }

    @Test
    void termLengthThatIsNotAPowerOfTwoSuggestsTheNeighbouringPowers()
    {
        final String message = configurationError(() -> MediaDriverPresets.shared().termLength(100_000));

        assertContains(message, "termLength 100000 is not a power of two: use 65536 or 131072");
    }

    @Test
    void termLengthAboveOneGiBIsRejected()
    {
        final String message = configurationError(() -> MediaDriverPresets.dedicated().termLength(Integer.MAX_VALUE));

        assertContains(message, "above Aeron's maximum of 1073741824");
    }

    @Test
    void mtuThatIsNotAMultipleOf32SuggestsTheOneBelow()
    {
        final String message = configurationError(() -> MediaDriverPresets.shared().mtuLength(1500));

        assertContains(message, "mtuLength 1500 is not a multiple of 32: use 1472");
    }

    @Test
    void mtuOutsideAeronsRangeIsRejected()
    {
        assertContains(configurationError(() -> MediaDriverPresets.shared().mtuLength(32)), "greater than the 32-byte");
        assertContains(configurationError(() -> MediaDriverPresets.shared().mtuLength(65536)), "at most 65504");
    }

    @Test
    void mtuLargerThanTheTermsLargestMessageSaysWhichTermLengthWouldFit()
    {
        final String message = configurationError(
            () -> MediaDriverPresets.shared().termLength(64 * 1024).mtuLength(9216));

        assertContains(message, "mtuLength 9216 exceeds the largest message a 65536-byte term holds (8192");
        assertContains(message, "raise termLength to at least 131072");
    }

    @Test
    void loweringTheTermBelowAnAcceptedMtuIsCaughtAtBuild()
    {
        final MediaDriverPresets.Builder builder = MediaDriverPresets.shared().mtuLength(16384).termLength(65536);

        assertContains(configurationError(builder::build), "mtuLength 16384 exceeds");
    }

    @Test
    void blankDirectoryAndMissingIdleStrategyAreRejected()
    {
        assertContains(
            configurationError(() -> MediaDriverPresets.shared().aeronDirectoryName(" ")),
            "aeronDirectoryName must be a path");
        assertThrows(NullPointerException.class, () -> MediaDriverPresets.shared().idleStrategy(null));
    }

    @Test
    void idleStrategyChoicesMapToAgronaStrategiesAndParseFromCommandLineSpelling()
    {
        for (final IdleStrategyChoice choice : IdleStrategyChoice.values())
        {
            assertNotSame(choice.newIdleStrategy(), choice.newIdleStrategy(), "fresh instance per thread");
        }
        assertEquals("org.agrona.concurrent.BusySpinIdleStrategy",
            IdleStrategyChoice.BUSY_SPIN.newIdleStrategy().getClass().getName());
        assertEquals("org.agrona.concurrent.YieldingIdleStrategy",
            IdleStrategyChoice.YIELDING.newIdleStrategy().getClass().getName());
        assertEquals("org.agrona.concurrent.BackoffIdleStrategy",
            IdleStrategyChoice.BACKOFF.newIdleStrategy().getClass().getName());
        assertEquals("org.agrona.concurrent.SleepingMillisIdleStrategy",
            IdleStrategyChoice.SLEEPING.newIdleStrategy().getClass().getName());

        assertSame(IdleStrategyChoice.BUSY_SPIN, IdleStrategyChoice.fromName("busy-spin"));
        assertSame(IdleStrategyChoice.BACKOFF, IdleStrategyChoice.fromName(" Backoff "));
        assertContains(
            configurationError(() -> IdleStrategyChoice.fromName("fast")),
            "unknown idle strategy 'fast': use one of [BUSY_SPIN, YIELDING, BACKOFF, SLEEPING]");
    }

    private static void assertUniqueDirectoryName(final String aeronDirectoryName)
    {
        final File directory = new File(aeronDirectoryName);
        final String expectedParent = new File("/dev/shm").isDirectory() ?
            "/dev/shm" : new File(System.getProperty("java.io.tmpdir")).getAbsolutePath();

        assertEquals(expectedParent, directory.getParent());
        assertTrue(
            directory.getName().startsWith("roundtable-" + ProcessHandle.current().pid() + "-"),
            aeronDirectoryName);
    }

    private static String configurationError(final Executable executable)
    {
        return assertThrows(ConfigurationException.class, executable).getMessage();
    }

    private static void assertContains(final String message, final String expected)
    {
        assertTrue(message.contains(expected), () -> "expected '" + expected + "' in: " + message);
    }
}
