package io.roundtable.client;

import org.agrona.DirectBuffer;

/** Receives the answer to a request, on the thread that polls the client; the buffer is valid only during the call. */
@FunctionalInterface
public interface ResponseListener
{
    void onResponse(long correlationId, DirectBuffer result, int offset, int length);
}
