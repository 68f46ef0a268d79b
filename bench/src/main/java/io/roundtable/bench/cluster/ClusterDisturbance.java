package io.roundtable.bench.cluster;

import io.roundtable.config.ClusterTopology;
import io.roundtable.runtime.LocalCluster;

import java.io.PrintWriter;

/** Something done to a running cluster during a measured window: a straggler, a replica stopped. */
public interface ClusterDisturbance
{
    /** The topology the cluster is launched with, from the spec's: e.g. one replica's messages delayed. */
    default ClusterTopology shape(final ClusterTopology topology)
    {
        return topology;
    }

    /** At the start of the measured window. */
    void start(LocalCluster cluster, PrintWriter log);

    /** After each second of the window, {@code second} counting from 1. */
    void onSecond(LocalCluster cluster, long second, PrintWriter log);

    /** When, in seconds into the window, the event a timeline should mark happens; negative if none. */
    default long eventSecond()
    {
        return -1;
    }

    /** What that event is, for the timeline's marker. */
    default String eventLabel()
    {
        return "";
    }
}
