package io.roundtable.tools;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;

/** Finds a run of consecutive UDP ports free on loopback, so tests running side by side do not collide. */
final class FreePorts
{
    private FreePorts()
    {
    }

    static int baseOfFreeRun(final int count)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            final int base = ThreadLocalRandom.current().nextInt(20_000, 50_000);
            if (allFree(base, count))
            {
                return base;
            }
        }
        throw new IllegalStateException("no run of " + count + " free UDP ports found");
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
