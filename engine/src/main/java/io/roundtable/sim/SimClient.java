package io.roundtable.sim;

import io.roundtable.command.CommandBatchWriter;
import io.roundtable.sim.check.History;
import io.roundtable.sim.check.OperationKind;
import io.roundtable.statemachine.KeyValueCommands;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.util.SplittableRandom;

/**
 * A closed-loop client attached to one replica: issues one key-value command at a time and records each operation's
 * invocation and completion in the history. A command touches a shared hot key with probability conflictRate,
 * otherwise the client's private key; values written are unique, so the linearizability check is sharp.
 * <p>
 * Each command goes first to the client's home replica. A client that hears nothing within its timeout, or whose
 * replica crashed, re-sends the same request (same clientId and requestNumber, so the replicas' deduplication applies
 * it once) to the next replica round-robin, and from then on waits for that replica's answer: a client holds one
 * session at a time, as the runtime's client will, and a late answer on a session it has left is not heard. The
 * history holds one operation per request, completed by the first answer heard.
 */
final class SimClient
{
    static final long PRIVATE_KEY_BASE = 1_000_000L;

    private static final int MAX_BACKOFF_SHIFT = 3;

    final int clientId;
    final int home;
    private final SimulationConfig config;
    private final History history;
    private final KeyValueCommands kv = new KeyValueCommands();
    private final CommandBatchWriter batchWriter = new CommandBatchWriter();
    private boolean pendingWrite;
    private int pendingPayloadLength;
    private final ExpandableArrayBuffer payload = new ExpandableArrayBuffer(64);
    private final ExpandableArrayBuffer batch = new ExpandableArrayBuffer(128);
    private final long[] keyArray = new long[1];
    private final byte[] valueBytes = new byte[8];
    private final byte[] expectedBytes = new byte[8];
    private final java.util.Map<Long, Long> lastSeen = new java.util.HashMap<>();
    private int issued;
    private long requestNumber;
    private int pendingOperation = -1;
    private OperationKind pendingKind;
    private long pendingKey;
    private long pendingArgument;
    private long completed;
    private long invokedAtNs;
    private int target;
    private long sentAtNs;
    private int retriesOfRequest;

    SimClient(final int clientId, final int home, final SimulationConfig config, final History history)
    {
        this.clientId = clientId;
        this.home = home;
        this.target = home;
        this.config = config;
        this.history = history;
    }

    /** The replica the client last sent its request to: the only one whose answer it hears. */
    int target()
    {
        return target;
    }

    /** Whether the current request has waited {@code timeoutNs} (doubled per retry, up to 8 times) for an answer. */
    boolean timedOut(final long nowNs, final long timeoutNs)
    {
        return waiting() && nowNs - sentAtNs >= timeoutNs << Math.min(retriesOfRequest, MAX_BACKOFF_SHIFT);
    }

    /** Moves the pending request to the next replica round-robin; the caller re-sends {@link #batch()} there. */
    int retarget(final int replicas, final long nowNs)
    {
        target = (target + 1) % replicas;
        sentAtNs = nowNs;
        retriesOfRequest++;
        return target;
    }

    boolean done()
    {
        return issued == config.commandsPerClient && pendingOperation < 0;
    }

    boolean waiting()
    {
        return pendingOperation >= 0;
    }

    long requestNumber()
    {
        return requestNumber;
    }

    long completed()
    {
        return completed;
    }

    /** Encodes the next command into a batch; returns its length, or 0 when the client has finished. */
    int next(final SplittableRandom random, final long nowNs)
    {
        if (issued == config.commandsPerClient)
        {
            return 0;
        }
        issued++;
        requestNumber++;
        final long key = random.nextDouble() < config.conflictRate ?
            random.nextInt(config.hotKeys) : PRIVATE_KEY_BASE + clientId;
        final double choice = random.nextDouble();
        final long value = ((long)(clientId + 1) << 32) | requestNumber;
        final int payloadLength;
        final boolean write;
        long expected = History.ABSENT;
        if (choice < config.readRatio)
        {
            pendingKind = OperationKind.GET;
            payloadLength = kv.get(payload, 0, key);
            write = false;
        }
        else if (choice < config.readRatio + config.casRatio)
        {
            pendingKind = OperationKind.CAS;
            expected = lastSeen.getOrDefault(key, History.ABSENT);
            toBytes(value, valueBytes);
            if (expected == History.ABSENT)
            {
                payloadLength = kv.cas(payload, 0, key, new byte[0], valueBytes);
            }
            else
            {
                toBytes(expected, expectedBytes);
                payloadLength = kv.cas(payload, 0, key, expectedBytes, valueBytes);
            }
            write = true;
        }
        else
        {
            pendingKind = OperationKind.PUT;
            toBytes(value, valueBytes);
            payloadLength = kv.put(payload, 0, key, valueBytes);
            write = true;
        }
        pendingKey = key;
        pendingArgument = value;
        keyArray[0] = key;
        pendingOperation = history.invoke(clientId, pendingKind, key, expected, value, nowNs);
        invokedAtNs = nowNs;
        sentAtNs = nowNs;
        target = home;
        retriesOfRequest = 0;
        pendingWrite = write;
        pendingPayloadLength = payloadLength;
        batchWriter.begin(batch, 0, 1).add(clientId, requestNumber, write, keyArray, 1, payload, 0, payloadLength);
        return batchWriter.length();
    }

    long invokedAtNs()
    {
        return invokedAtNs;
    }

    /** Adds the pending request to a batch a replica is gathering. */
    void appendTo(final CommandBatchWriter writer)
    {
        writer.add(clientId, requestNumber, pendingWrite, keyArray, 1, payload, 0, pendingPayloadLength);
    }

    DirectBuffer batch()
    {
        return batch;
    }

    int batchLength()
    {
        return batchWriter.length();
    }

    void onResponse(final DirectBuffer result, final int offset, final long nowNs)
    {
        final long output;
        switch (pendingKind)
        {
            case GET:
                if (kv.resultFound(result, offset))
                {
                    final byte[] value = new byte[8];
                    kv.resultValue(result, offset, value);
                    output = fromBytes(value);
                }
                else
                {
                    output = History.ABSENT;
                }
                lastSeen.put(pendingKey, output);
                break;
            case CAS:
                final boolean swapped = kv.resultFound(result, offset);
                output = swapped ? 1 : 0;
                if (swapped)
                {
                    lastSeen.put(pendingKey, pendingArgument);
                }
                else
                {
                    lastSeen.remove(pendingKey);
                }
                break;
            default:
                output = 0;
                lastSeen.put(pendingKey, pendingArgument);
                break;
        }
        history.complete(pendingOperation, output, nowNs);
        pendingOperation = -1;
        completed++;
    }

    private static void toBytes(final long value, final byte[] bytes)
    {
        for (int i = 0; i < 8; i++)
        {
            bytes[i] = (byte)(value >>> (8 * i));
        }
    }

    private static long fromBytes(final byte[] bytes)
    {
        long value = 0;
        for (int i = 0; i < 8; i++)
        {
            value |= (bytes[i] & 0xFFL) << (8 * i);
        }
        return value;
    }
}
