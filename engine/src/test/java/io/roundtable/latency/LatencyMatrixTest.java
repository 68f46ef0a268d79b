package io.roundtable.latency;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyMatrixTest
{
    @Test
    void bundledAwsDataGivesHalfTheAverageRoundTrip()
    {
        final LatencyMatrix matrix = LatencyMatrix.bundled(LatencyMatrix.AWS, List.of("eu-west-1", "eu-west-2"));

        // eu-west-1.dat: 10.056/10.476/11.959/0.315:eu-west-2
        assertEquals(5_238_000L, matrix.oneWayNs(0, 1));
        assertEquals(0L, matrix.oneWayNs(1, 1));
        assertEquals("eu-west-2", matrix.name(1));
        assertTrue(matrix.oneWayNs(1, 0) > 4_000_000L && matrix.oneWayNs(1, 0) < 7_000_000L);
    }

    @Test
    void everyBundledRegionReachesEveryOther()
    {
        for (final String dataSet : new String[] {LatencyMatrix.AWS, LatencyMatrix.GCP})
        {
            final List<String> regions = LatencyMatrix.bundledRegions(dataSet);
            assertTrue(regions.size() >= 19, dataSet + ": " + regions);
            final LatencyMatrix matrix = LatencyMatrix.bundled(dataSet, regions);
            for (int i = 0; i < regions.size(); i++)
            {
                for (int j = 0; j < regions.size(); j++)
                {
                    assertTrue(i == j || matrix.oneWayNs(i, j) > 0, dataSet + " " + regions.get(i) + "->" +
                        regions.get(j));
                }
            }
        }
    }

    @Test
    void theMatrixCopyIsIndependentAndUnknownNamesSayWhatExists()
    {
        final LatencyMatrix matrix = LatencyMatrix.uniform(3, 7);
        final long[][] copy = matrix.oneWayNsMatrix();
        copy[0][1] = 99;
        assertArrayEquals(new long[] {0, 7, 7}, matrix.oneWayNsMatrix()[0]);

        final IllegalArgumentException unknownRegion = assertThrows(IllegalArgumentException.class,
            () -> LatencyMatrix.bundled(LatencyMatrix.GCP, List.of("europe-west1", "mars-north1")));
        assertTrue(unknownRegion.getMessage().contains("mars-north1") &&
            unknownRegion.getMessage().contains("us-east1"), unknownRegion.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LatencyMatrix.bundledRegions("azure"));
    }
}
