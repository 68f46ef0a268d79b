package io.roundtable.bench.report;

import org.HdrHistogram.Histogram;

/**
 * One site's latencies in one run: submit to answer, in nanoseconds, of the clients at that site.
 *
 * @param site      the region name, or {@code replica-<i>} on a LAN.
 * @param latencyNs every measured command's latency (the run owns it; do not record into it any more).
 * @param optimumMs the round trip to this site's closest fast quorum, the best a leaderless protocol can do from
 *                  here at 0 % conflict; {@link Double#NaN} where there is none to compare with (a LAN).
 */
public record SiteResult(String site, Histogram latencyNs, double optimumMs)
{
}
