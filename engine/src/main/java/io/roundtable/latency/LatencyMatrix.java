package io.roundtable.latency;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * One-way message delays between replicas, in nanoseconds: uniform, or from inter-region ping data (one
 * {@code <region>.dat} file per source region, lines {@code min/avg/max/mdev:destination} in milliseconds), where
 * one-way = half the pair's average round trip. The data the Atlas and Tempo papers used ships in this jar
 * ({@link #bundled}; see {@code io/roundtable/latency/README.md} for its origin and licence); {@link #fromPingData}
 * reads a folder of such files instead. The simulator delays messages by it, and the WAN emulation of the runtime
 * ({@code transport.EmulatedDelays}) takes its {@link #oneWayNsMatrix()}.
 */
public final class LatencyMatrix
{
    /** The AWS data set of 2020-06-05: the EPaxos paper's and the Tempo paper's regions. */
    public static final String AWS = "aws-2020-06-05";

    /** The GCP data set: the Atlas paper's regions. */
    public static final String GCP = "gcp";

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

    /** A matrix given outright ({@code [from][to]}, copied), its replicas named r0, r1, …: for tests and what-ifs. */
    public static LatencyMatrix of(final long[][] oneWayNs)
    {
        final long[][] copy = new long[oneWayNs.length][];
        final String[] names = new String[oneWayNs.length];
        for (int i = 0; i < copy.length; i++)
        {
            if (oneWayNs[i].length != oneWayNs.length)
            {
                throw new IllegalArgumentException("row " + i + " has " + oneWayNs[i].length + " entries, not " +
                    oneWayNs.length);
            }
            copy[i] = oneWayNs[i].clone();
            names[i] = "r" + i;
        }
        return new LatencyMatrix(copy, names);
    }

    /** Loads the regions named, in order (replica i sits in {@code regions.get(i)}), from a folder of ping files. */
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
            fillRow(matrix, i, lines, regions, file.toString());
        }
        return new LatencyMatrix(matrix, regions.toArray(new String[0]));
    }

    /**
     * Loads the regions named, in order, from a data set in this jar: {@link #AWS} (the EPaxos and Tempo papers'
     * regions) or {@link #GCP} (the Atlas paper's).
     *
     * @throws IllegalArgumentException naming the data set's regions if one is unknown.
     */
    public static LatencyMatrix bundled(final String dataSet, final List<String> regions)
    {
        final List<String> known = bundledRegions(dataSet);
        final int n = regions.size();
        final long[][] matrix = new long[n][n];
        for (final String region : regions)
        {
            if (!known.contains(region))
            {
                throw new IllegalArgumentException("unknown region '" + region + "' in latency data set " +
                    dataSet + ": use one of " + String.join(", ", known));
            }
        }
        for (int i = 0; i < n; i++)
        {
            final String resource = dataSet + "/" + regions.get(i) + ".dat";
            fillRow(matrix, i, readResource(resource), regions, resource);
        }
        return new LatencyMatrix(matrix, regions.toArray(new String[0]));
    }

    /** The regions of a bundled data set, as named in {@link #bundled}. */
    public static List<String> bundledRegions(final String dataSet)
    {
        if (!AWS.equals(dataSet) && !GCP.equals(dataSet))
        {
            throw new IllegalArgumentException("unknown latency data set '" + dataSet + "': use " + AWS + " or " + GCP);
        }
        return readResource(dataSet + "/regions.txt").stream().map(String::trim).filter((r) -> !r.isEmpty()).toList();
    }

    private static List<String> readResource(final String name)
    {
        try (InputStream in = LatencyMatrix.class.getResourceAsStream(name))
        {
            if (null == in)
            {
                throw new IllegalStateException("latency data " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().toList();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read latency data " + name, ex);
        }
    }

    private static void fillRow(
        final long[][] matrix, final int i, final List<String> lines, final List<String> regions, final String source)
    {
        for (int j = 0; j < regions.size(); j++)
        {
            matrix[i][j] = i == j ? 0 : halfAverageRttNs(lines, regions.get(j), source);
        }
    }

    private static long halfAverageRttNs(final List<String> lines, final String destination, final String file)
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

    /** A copy of the whole matrix, {@code [from][to]}, for {@code ClusterTopology.withEmulatedDelaysNs}. */
    public long[][] oneWayNsMatrix()
    {
        final long[][] copy = new long[oneWayNs.length][];
        for (int i = 0; i < copy.length; i++)
        {
            copy[i] = oneWayNs[i].clone();
        }
        return copy;
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
