package io.roundtable.protocol.dependency;

import org.agrona.DirectBuffer;

/**
 * What a dependency-graph core does with one journaled instance state on replay ({@link DependencyReplayer} decodes
 * it). An empty commands field means "unchanged since the record that carried them" ({@link DependencyJournal}).
 */
@FunctionalInterface
public interface DependencyRestorer
{
    void restore(
        long dot, byte status, long promisedBallot, long acceptedBallot, int seq, long fastQuorum,
        long[] deps, int depsCount, DirectBuffer commands, int commandsOffset, int commandsLength);
}
