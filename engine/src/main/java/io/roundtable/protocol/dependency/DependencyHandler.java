package io.roundtable.protocol.dependency;

import org.agrona.DirectBuffer;

/**
 * Typed handlers of the dependency-protocol messages (EPaxos, and Atlas on the same wire): what
 * {@link DependencyMessageAdapter} calls after decoding. Dependency arrays and the commands buffer are the adapter's
 * scratch, valid only during the call. Dependencies arrive sorted and unique.
 */
public interface DependencyHandler
{
    void onPreAccept(
        int from, long ballot, long dot, int seq, long fastQuorum, long[] deps, int depsCount,
        DirectBuffer commands, int commandsOffset, int commandsLength);

    void onPreAcceptOk(
        int from, long ballot, long dot, int seq, long[] deps, boolean[] depsCommitted, int depsCount);

    void onAccept(
        int from, long ballot, long dot, int seq, long[] deps, int depsCount,
        DirectBuffer commands, int commandsOffset, int commandsLength);

    void onAcceptOk(int from, long ballot, long dot);

    void onCommit(
        int from, long ballot, long dot, int seq, long[] deps, int depsCount,
        DirectBuffer commands, int commandsOffset, int commandsLength);

    void onNack(int from, long ballot, long dot, long promisedBallot);

    /** {@code commandsLength} is 0 unless the recoverer sent its copy of the command (Atlas MRec). */
    void onPrepare(int from, long ballot, long dot, DirectBuffer commands, int commandsOffset, int commandsLength);

    void onPrepareOk(
        int from, long ballot, long dot, byte status, long acceptedBallot, int seq, long fastQuorum,
        long[] deps, int depsCount, DirectBuffer commands, int commandsOffset, int commandsLength);

    void onTryPreAccept(
        int from, long ballot, long dot, int seq, long fastQuorum, long[] deps, int depsCount,
        DirectBuffer commands, int commandsOffset, int commandsLength);

    void onTryPreAcceptReply(int from, long ballot, long dot, boolean ok, long conflictDot, byte conflictStatus);

    /** One entry of a Progress message: {@code replica} has executed every instance of {@code origin} up to here. */
    void onProgress(int from, int replica, int origin, long executedUpTo);

    /** Anything this core does not handle yet, or input that failed validation. */
    void onUnexpected(int from, int templateId);
}
