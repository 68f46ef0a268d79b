package io.roundtable.bench.cluster;

import io.roundtable.config.ProtocolName;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PresetTest
{
    @Test
    void everyPresetIsFoundByItsNameAndAnUnknownOneListsThem()
    {
        for (final Preset preset : Preset.values())
        {
            assertEquals(preset, Preset.fromName(preset.presetName()));
        }
        final IllegalArgumentException unknown =
            assertThrows(IllegalArgumentException.class, () -> Preset.fromName("wan-mars"));
        assertTrue(unknown.getMessage().contains("lan-throughput, wan-epaxos, wan-tempo-tail, scale-sites, " +
            "straggler-switch"), unknown.getMessage());
    }

    @Test
    void fullSizesCoverWhatTheIssueAsksAndLabelsAreUnique()
    {
        final List<ProtocolName> all = List.of(ProtocolName.values());
        assertEquals(4 * 2 * 3, Preset.LAN_THROUGHPUT.runs(all, false).size(), "N 3/5 x conflict 0/2/100 %");
        assertEquals(4 * 4, Preset.WAN_EPAXOS.runs(all, false).size(), "conflict 0/2/25/100 %");
        assertEquals(2 * 6, Preset.SCALE_SITES.runs(Preset.SCALE_SITES.defaultProtocols(), false).size(), "N 3..13");
        for (final Preset preset : Preset.values())
        {
            for (final boolean smoke : new boolean[] {false, true})
            {
                final List<RunSpec> runs = preset.runs(all, smoke);
                final Set<String> labels = new HashSet<>();
                for (final RunSpec run : runs)
                {
                    assertTrue(labels.add(run.label()), preset + ": duplicate label " + run.label());
                    assertTrue(run.label().matches("[a-z0-9_-]+"), run.label());
                    assertTrue(null == run.regions() || run.regions().size() == run.replicas(), run.label());
                }
            }
        }
        assertEquals(13, Preset.SCALE_SITES.runs(List.of(ProtocolName.ATLAS), false).get(5).regions().size());
    }
}
