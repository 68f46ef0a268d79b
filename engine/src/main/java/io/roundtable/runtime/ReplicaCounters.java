package io.roundtable.runtime;

import io.aeron.Aeron;
import io.aeron.Counter;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersReader;

/**
 * One replica's {@link ReplicaCounter}s, allocated in the driver's counters file. The duty cycle counts in plain
 * fields (its own and the protocol's) and {@link #set publishes} them here once per timer tick with a release store:
 * the hot path never pays for an atomic add, and a reader sees values at most one tick old.
 */
public final class ReplicaCounters implements AutoCloseable
{
    private final Counter[] counters = new Counter[ReplicaCounter.values().length];

    public ReplicaCounters(final Aeron aeron, final int replicaId)
    {
        final UnsafeBuffer key = new UnsafeBuffer(new byte[Integer.BYTES]);
        key.putInt(0, replicaId);
        for (final ReplicaCounter counter : ReplicaCounter.values())
        {
            final UnsafeBuffer label = new UnsafeBuffer(
                ("roundtable replica " + replicaId + ": " + counter.description()).getBytes());
            counters[counter.ordinal()] = aeron.addCounter(
                counter.typeId(), key, 0, key.capacity(), label, 0, label.capacity());
        }
    }

    public void set(final ReplicaCounter counter, final long value)
    {
        counters[counter.ordinal()].setRelease(value);
    }

    /** The counter itself, for what updates it directly (Aeron's duty-cycle stall trackers) rather than per tick. */
    public AtomicCounter counter(final ReplicaCounter counter)
    {
        return counters[counter.ordinal()];
    }

    public long get(final ReplicaCounter counter)
    {
        return counters[counter.ordinal()].get();
    }

    /**
     * Reads {@code counter} of replica {@code replicaId} from any driver's counters (another process's included).
     *
     * @return its value, or -1 if that replica has no such counter there.
     */
    public static long read(final CountersReader reader, final int replicaId, final ReplicaCounter counter)
    {
        // walks the metadata directly: CountersReader.forEach would build every counter's label String
        final int typeId = counter.typeId();
        final AtomicBuffer metaData = reader.metaDataBuffer();
        for (int id = 0, max = reader.maxCounterId(); id <= max; id++)
        {
            final int state = reader.getCounterState(id);
            if (state == CountersReader.RECORD_UNUSED)
            {
                break;
            }
            if (state == CountersReader.RECORD_ALLOCATED && reader.getCounterTypeId(id) == typeId &&
                metaData.getInt(CountersReader.metaDataOffset(id) + CountersReader.KEY_OFFSET) == replicaId)
            {
                return reader.getCounterValue(id);
            }
        }
        return -1;
    }

    public void close()
    {
        CloseHelper.closeAll(counters);
    }
}
