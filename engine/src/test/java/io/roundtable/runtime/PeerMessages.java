package io.roundtable.runtime;

import io.roundtable.config.ProtocolName;
import org.agrona.MutableDirectBuffer;

import java.util.Random;

/**
 * Well-formed peer messages of one protocol with random contents, one of every type it receives, encoded at offset 0
 * of the caller's buffer; {@link #layout()} tells {@link MalformedMessages} where to break the last one. Their dots
 * and log positions are far above any a test cluster reaches, so a message that slipped through would touch none.
 */
interface PeerMessages
{
    /** How many message types {@link #message} encodes, numbered from 0. */
    int types();

    /** A well-formed peer message of type {@code type} as replica {@code sender} would send it; returns its length. */
    int message(int type, int sender, MutableDirectBuffer buffer);

    /** Where the message last encoded has what {@link MalformedMessages} breaks. */
    MessageLayout layout();

    /** Whether a replica of this protocol takes messages of {@code templateId}. */
    boolean receives(int templateId);

    static PeerMessages of(final ProtocolName protocol, final Random random)
    {
        switch (protocol)
        {
            case TEMPO:
                return new RandomTempoMessages(random);
            case PAXOS:
                return new RandomPaxosMessages(random);
            default:
                return new RandomDependencyMessages(random); // EPaxos and Atlas speak the same messages
        }
    }
}
