package io.roundtable.protocol.tempo;

import io.roundtable.protocol.progress.ProgressHandler;
import org.agrona.DirectBuffer;

/** What {@link TempoMessageAdapter} decodes messages into: primitives and views, valid as far as decoding can tell. */
interface TempoHandler extends ProgressHandler
{
    void onPropose(int from, long ballot, long dot, long timestamp, long fastQuorum,
        DirectBuffer commands, int commandsOffset, int commandsLength);

    void onProposeAck(int from, long ballot, long dot, long timestamp);

    void onConsensus(int from, long ballot, long dot, long timestamp,
        DirectBuffer commands, int commandsOffset, int commandsLength);

    void onConsensusAck(int from, long ballot, long dot);

    void onCommit(int from, long ballot, long dot, long timestamp,
        DirectBuffer commands, int commandsOffset, int commandsLength);

    void onRecover(int from, long ballot, long dot, DirectBuffer commands, int commandsOffset, int commandsLength);

    void onRecoverAck(int from, long ballot, long dot, byte status, long acceptedBallot, long timestamp,
        long proposalBallot, long proposal, long fastQuorum, DirectBuffer commands, int commandsOffset,
        int commandsLength);

    void onNack(int from, long ballot, long dot, long promisedBallot);

    /** A promises message: each key's snapshot starts, lists its attached promises, and ends. */
    void onPromisedKey(int from, long key, long clockUpTo);

    void onPromisedAttached(int from, long dot, long fromValue);

    void onPromisedKeyEnd(int from, long key);

    void onUnexpected(int from, int templateId);
}
