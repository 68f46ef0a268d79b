package io.roundtable.tools;

import io.roundtable.driver.LoopbackPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code cluster --regions}: the runtime's WAN emulation as a user asks for it, and what a mistake says. */
class EmulatedWanCommandTest
{
    @TempDir
    Path temp;

    private final CliHarness cli = new CliHarness();

    @Test
    void commandsPayAtLeastTheRoundTripToTheirQuorum()
    {
        // eu-west-1 <-> eu-west-2 is about 10.5 ms round trip, eu-west-3 about 17 ms from eu-west-1: every command
        // needs a round trip to at least one other region, so none can be answered in under ~10 ms.
        final int exitCode = cli.run("cluster", "--replicas", "3", "--protocol", "atlas",
            "--regions", "eu-west-1,eu-west-2,eu-west-3", "--duration", "2s", "--warmup", "1s", "--clients", "6",
            "--base-port", String.valueOf(LoopbackPorts.baseOfFreeRun(6)), "--journal-dir", temp.toString());
        final String output = cli.out();
        assertEquals(0, exitCode, () -> output + cli.err());
        assertTrue(output.contains("emulated WAN (aws-2020-06-05 ping data, phase timeout 1000 ms)"), output);
        final Matcher p50 = Pattern.compile("latency +p50 ([0-9.]+) ms").matcher(output);
        assertTrue(p50.find(), output);
        final double medianMs = Double.parseDouble(p50.group(1));
        assertTrue(medianMs >= 9.0 && medianMs < 100.0, "median " + medianMs + " ms:\n" + output);
    }

    @Test
    void badRegionsSayWhatToDo()
    {
        assertEquals(2, cli.run("cluster", "--replicas", "3", "--regions", "eu-west-1,eu-west-2", "--duration", "1s"));
        assertTrue(cli.err().contains("--regions names 2 regions for 3 replicas"), cli::err);

        assertEquals(2, cli.run("cluster", "--replicas", "3", "--regions", "eu-west-1,eu-west-2,mars-1",
            "--duration", "1s"));
        assertTrue(cli.err().contains("unknown region 'mars-1' in latency data set aws-2020-06-05: use one of"),
            cli::err);
    }
}
