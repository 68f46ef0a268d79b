package io.roundtable.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * One-way message delays between replicas, in nanoseconds. Uniform by default; or loaded from the ping data in
 * {@code shared/data/latency/} (one {@code <region>.dat} file per source region, lines
 * {@code min/avg/max/mdev:destination} in milliseconds), where one-way = half the pair's average round trip.
 */
public final class LatencyMatrix
{
    private final long[][] oneWayNs;
    private final String[] names;

    private LatencyMatrix(final long[][] oneWayNs, final String[] names)
    {
        this.oneWayNs = oneWayNs;
        this.names = names;
    }

    public static LatencyMatrix uniform(final int replicas, final long oneWayNs)
    {
        final long[][] matrix = new long[replicas][replicas];
        final String[] names = new String[replicas];
        for (int i = 0; i < replicas; i++)
        {
            Arrays.fill(matrix[i], oneWayNs);
            matrix[i][i] = 0;
            names[i] = "r" + i;
        }
        return new LatencyMatrix(matrix, names);
    }

    /** Loads the regions named, in order (replica i sits in {@code regions.get(i)}). */
    public static LatencyMatrix fromPingData(final Path directory, final List<String> regions)
    {
        final int n = regions.size();
        final long[][] matrix = new long[n][n];
        for (int i = 0; i < n; i++)
        {
            final Path file = directory.resolve(regions.get(i) + ".dat");
            final List<String> lines;
            try
            {
                lines = Files.readAllLines(file);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot read latency file " + file +
                    " (regions are file names in " + directory + " without .dat)", ex);
            }
            for (int j = 0; j < n; j++)
            {
                matrix[i][j] = i == j ? 0 : halfAverageRttNs(lines, regions.get(j), file);
            }
        }
        return new LatencyMatrix(matrix, regions.toArray(new String[0]));
    }

    private static long halfAverageRttNs(final List<String> lines, final String destination, final Path file)
    {
        for (final String line : lines)
        {
            final int colon = line.lastIndexOf(':');
            if (colon > 0 && line.substring(colon + 1).trim().equals(destination))
            {
                final String[] stats = line.substring(0, colon).split("/");
                final double averageMs = Double.parseDouble(stats[1]);
                return Math.round(averageMs * 1_000_000.0 / 2.0);
            }
        }
        throw new IllegalArgumentException("no latency to " + destination + " in " + file);
    }

    public int size()
    {
        return oneWayNs.length;
    }

    public long oneWayNs(final int from, final int to)
    {
        return oneWayNs[from][to];
    }

    public String name(final int replica)
    {
        return names[replica];
    }

    /** Peers of {@code replica} ordered closest first (ties by id): the thrifty quorum preference. */
    public int[] peersByDistance(final int replica)
    {
        final Integer[] peers = new Integer[size() - 1];
        for (int i = 0, k = 0; i < size(); i++)
        {
            if (i != replica)
            {
                peers[k++] = i;
            }
        }
        Arrays.sort(peers, (a, b) ->
        {
            final int byDelay = Long.compare(oneWayNs[replica][a], oneWayNs[replica][b]);
            return byDelay != 0 ? byDelay : Integer.compare(a, b);
        });
        return Arrays.stream(peers).mapToInt(Integer::intValue).toArray();
    }
}
