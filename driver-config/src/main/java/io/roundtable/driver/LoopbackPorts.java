package io.roundtable.driver;

import io.aeron.exceptions.ConfigurationException;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds a run of consecutive UDP ports free on loopback, for a one-host cluster that must not collide with another
 * one (tests side by side, {@code roundtable cluster --base-port 0}).
 * <p>
 * Runs are picked below the kernel's ephemeral range: every Aeron publication binds its sending socket to an
 * ephemeral port, so a run found free inside that range can be taken by the cluster's own driver before the
 * replicas bind it (seen in CI: "Address already in use" on a port the check had just found free). A port found
 * free can still be taken by another process before it is bound; callers that cannot tolerate that should name
 * ports explicitly.
 */
public final class LoopbackPorts
{
    private static final int LOWEST = 10_000;
    private static final int HIGHEST_WITHOUT_KERNEL_RANGE = 32_000;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    private LoopbackPorts()
    {
    }

    /** The first of {@code count} consecutive UDP ports that are free on loopback right now. */
    public static int baseOfFreeRun(final int count)
    {
        final int highest = highestBelowEphemeralRange();
        for (int attempt = 0; attempt < 100; attempt++)
        {
            final int base = ThreadLocalRandom.current().nextInt(LOWEST, highest - count);
            if (allFree(base, count))
            {
                return base;
            }
        }
        throw new ConfigurationException("no run of " + count + " free UDP ports found between " + LOWEST + " and " +
            highest + ": name the ports explicitly");
    }

    /**
     * One past the highest port worth trying: the start of the kernel's ephemeral range where the kernel says so
     * and it leaves room, else a bound below the usual Linux (32768) and IANA (49152) starts.
     */
    static int highestBelowEphemeralRange()
    {
        try
        {
            // line by line: some kernels (gVisor) answer a whole-file read of /proc with one byte
            final String[] range = Files.readAllLines(EPHEMERAL_RANGE, StandardCharsets.US_ASCII).get(0).trim()
                .split("\\s+");
            final int ephemeralLow = Integer.parseInt(range[0]);
            return ephemeralLow > LOWEST + 1_000 ? Math.min(ephemeralLow, 60_000) : HIGHEST_WITHOUT_KERNEL_RANGE;
        }
        catch (final IOException | RuntimeException ex)
        {
            return HIGHEST_WITHOUT_KERNEL_RANGE;
        }
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
