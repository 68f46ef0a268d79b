package io.roundtable.protocol.paxos;

import io.roundtable.protocol.progress.ProgressHandler;
import org.agrona.DirectBuffer;

/**
 * Typed Multi-Paxos message handlers: what {@link PaxosMessageAdapter} calls after decoding and validating a whole
 * message. Command buffers are the adapter's views, valid only during the call.
 */
interface PaxosHandler extends ProgressHandler
{
    void onForward(int from, DirectBuffer commands, int commandsOffset, int commandsLength);

    void onPrepare(int from, long ballot, long fromPosition);

    /** A Promise: {@link #onPromiseEntry} follows once per accepted or chosen position, then {@link #onPromiseEnd}. */
    void onPromiseBegin(int from, long ballot, long chosenUpTo);

    void onPromiseEntry(
        int from, long ballot, long position, long acceptedBallot, boolean chosen,
        DirectBuffer commands, int commandsOffset, int commandsLength);

    /** The end of one page of a Promise: it spoke for positions up to {@code coveredUpTo}; more follow unless last. */
    void onPromiseEnd(int from, long ballot, long coveredUpTo, boolean lastPage);

    void onAccept(
        int from, long ballot, long position, long chosenUpTo,
        DirectBuffer commands, int commandsOffset, int commandsLength);

    void onAccepted(int from, long ballot, long position);

    void onChosen(int from, long ballot, long position, DirectBuffer commands, int commandsOffset, int commandsLength);

    void onHeartbeat(int from, long ballot, long chosenUpTo);

    void onNack(int from, long ballot, long dot, long promisedBallot);

    /** Input that failed validation or a message this protocol does not use. */
    void onUnexpected(int from, int templateId);
}
