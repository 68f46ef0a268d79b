package io.roundtable.driver;

import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoopbackPortsTest
{
    @Test
    void runsAreFreeAndBelowTheKernelsEphemeralRange() throws Exception
    {
        final Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        final int ephemeralLow = Files.isReadable(range) ?
            Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[0]) : 32_768;
        for (int i = 0; i < 200; i++)
        {
            final int base = LoopbackPorts.baseOfFreeRun(10);
            assertTrue(base >= 10_000 && base + 10 <= ephemeralLow,
                () -> "run at " + base + " reaches the ephemeral range starting " + ephemeralLow);
        }
        final int base = LoopbackPorts.baseOfFreeRun(4);
        for (int port = base; port < base + 4; port++)
        {
            final int free = port;
            assertDoesNotThrow(() -> new DatagramSocket(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), free)).close());
        }
    }
}
