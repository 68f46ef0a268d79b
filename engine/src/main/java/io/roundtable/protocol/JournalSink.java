package io.roundtable.protocol;

import org.agrona.DirectBuffer;

/**
 * Durable records of every promise a replica makes (pre-accept, accept, commit, ballot promised). A record appended
 * here must be durable before any message the core sends afterwards leaves the replica (PROTOCOLS.md pitfall 2):
 * the runtime appends a duty cycle's records, flushes per its policy, and only then drains the outbox.
 */
public interface JournalSink
{
    void append(DirectBuffer buffer, int offset, int length);
}
