package io.roundtable.driver;

import io.aeron.exceptions.ConfigurationException;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds a run of consecutive UDP ports free on loopback, for a one-host cluster that must not collide with another
 * one (tests side by side, {@code roundtable cluster --base-port 0}). A port found free can still be taken before
 * it is bound; callers that cannot retry should name ports explicitly.
 */
public final class LoopbackPorts
{
    private static final int LOWEST = 20_000;
    private static final int HIGHEST = 50_000;

    private LoopbackPorts()
    {
    }

    /** The first of {@code count} consecutive UDP ports that are free on loopback right now. */
    public static int baseOfFreeRun(final int count)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            final int base = ThreadLocalRandom.current().nextInt(LOWEST, HIGHEST);
            if (allFree(base, count))
            {
                return base;
            }
        }
        throw new ConfigurationException("no run of " + count + " free UDP ports found between " + LOWEST + " and " +
            HIGHEST + ": name the ports explicitly");
    }

    private static boolean allFree(final int base, final int count)
    {
        for (int port = base; port < base + count; port++)
        {
            try (DatagramSocket socket = new DatagramSocket(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port)))
            {
                socket.getLocalPort();
            }
            catch (final IOException ex)
            {
                return false;
            }
        }
        return true;
    }
}
