package io.roundtable.runtime;

import io.roundtable.config.ProtocolName;
import io.roundtable.journal.InMemoryJournal;
import io.roundtable.protocol.DecisionObserver;
import io.roundtable.protocol.Outbox;
import io.roundtable.protocol.Protocol;
import io.roundtable.protocol.ProtocolContext;
import io.roundtable.protocol.ProtocolFactory;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link MalformedInputTest}'s broken peer messages straight into one protocol core, without Aeron: each must be
 * counted as malformed exactly once and throw nothing. Where the live test can only compare totals, this one names
 * every message that got through (its type, how it was broken), so a gap in an adapter's validation shows here.
 */
class MalformedPeerMessagesTest
{
    private static final int REPLICAS = 3;
    private static final int MESSAGES = 50_000;
    private static final int SENDER = 2;

    @ParameterizedTest
    @EnumSource(ProtocolName.class)
    void everyBrokenPeerMessageIsCountedOnceAndNeverThrows(final ProtocolName protocol)
    {
        final Protocol core = core(protocol);
        final Random random = new Random(Long.getLong("roundtable.fuzz.seed", 7_340_033L));
        final PeerMessages messages = PeerMessages.of(protocol, random);
        final MalformedMessages malformed = new MalformedMessages(random, REPLICAS);
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));
        final List<String> missed = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++)
        {
            final int type = random.nextInt(messages.types());
            final int length = malformed.mutate(messages.layout(), buffer, messages.message(type, SENDER, buffer));
            final int templateId = buffer.getShort(2) & 0xFFFF;
            final long before = core.counters().malformedDropped;
            try
            {
                core.onMessage(SENDER, buffer, 0, length);
            }
            catch (final RuntimeException ex)
            {
                missed.add("type " + type + " " + MalformedMessages.MUTATIONS[malformed.lastMutation] +
                    " threw " + ex);
                continue;
            }
            if (core.counters().malformedDropped != before + 1 && missed.size() < 20)
            {
                missed.add("type " + type + " (template " + templateId + ") " +
                    MalformedMessages.MUTATIONS[malformed.lastMutation] + " range kind " +
                    messages.layout().rangeKind + ": counted " + (core.counters().malformedDropped - before));
            }
        }
        assertEquals(List.of(), missed, protocol + ": broken messages not counted exactly once");
    }

    private static Protocol core(final ProtocolName protocol)
    {
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(64 * 1024);
        final Outbox outbox = new Outbox()
        {
            public MutableDirectBuffer buffer()
            {
                return out;
            }

            public void send(final int toReplica, final int length)
            {
            }

            public void sendToAll(final int length)
            {
            }
        };
        return ProtocolFactory.of(protocol).create(new ProtocolContext(0, REPLICAS, 1, new int[] {1, 2},
            50_000_000L, outbox, new InMemoryJournal(), (dot) -> { }, DecisionObserver.NONE)).protocol();
    }
}
