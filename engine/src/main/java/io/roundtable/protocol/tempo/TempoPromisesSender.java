package io.roundtable.protocol.tempo;

import io.roundtable.codecs.TempoPromisesEncoder;
import io.roundtable.protocol.progress.ProgressCollector;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongHashSet;

import java.util.ArrayDeque;

/**
 * Publishes this replica's promises (Tempo's stability information) as cumulative snapshots per key: the key's clock
 * and the attached promises (dot, first value of the range) this replica gave and has not yet seen executed everywhere.
 * At the end of each input (one duty cycle's messages, {@link Tempo#endOfInput}) and every tick it sends the keys
 * whose clock moved; every {@code fullIntervalNs} it also sends every key (up to {@link #FULL_REFRESH_KEYS} a time,
 * taking turns), so a snapshot lost on the way (the network drops messages, partitions heal) is repaired by a later
 * one. Each snapshot also goes into
 * this replica's own {@link PromiseTable} row, after the records that back it were journaled: a promise never counts
 * towards stability before it is durable.
 * <p>
 * A key with more attached promises than fit is sent with its clock lowered below the first one left out, which claims
 * less than is true and so stays safe.
 * <p>
 * Snapshots are made per destination: an attached promise is left out of the snapshot for a replica known to have
 * executed its dot (its Progress prefix covers it), since there the range already counts as a plain promise. Without
 * this, attached promises pile up while a replica is down (nothing executes everywhere, so nothing is collected), and
 * past {@link #MAX_ATTACHED_PER_KEY} on one key the lowered clock stopped every replica's stability on that key: the
 * cluster stopped executing with one replica down.
 */
final class TempoPromisesSender
{
    static final int MAX_ATTACHED_PER_KEY = 64;
    /** Keys a full refresh sends at most; with more keys, successive refreshes take turns through them. */
    static final int FULL_REFRESH_KEYS = 4096;
    private static final int MESSAGE_BYTES_LIMIT = 16 * 1024;
    private static final int KEY_BYTES = 2 * Long.BYTES + 4;
    private static final int ATTACHED_BYTES = 2 * Long.BYTES;

    private final int self;
    private final int replicaCount;
    private final ProgressCollector progress;
    private final KeyClocks clocks;
    private final PromiseTable table;
    private final TempoPublisher publisher;
    private final long fullIntervalNs;
    /** Per key, this replica's attached promises not yet collected: (dot, from) pairs, in increasing {@code from}. */
    private final Long2ObjectHashMap<LongArrayList> ownAttached = new Long2ObjectHashMap<>();
    private final ArrayDeque<LongArrayList> pool = new ArrayDeque<>();
    private final LongArrayList scratchKeys = new LongArrayList();
    private long lastFullNs;
    private boolean fullDue = true;
    private int refreshCursor;

    TempoPromisesSender(
        final int self, final int replicaCount, final KeyClocks clocks, final PromiseTable table,
        final TempoPublisher publisher, final ProgressCollector progress, final long fullIntervalNs)
    {
        this.self = self;
        this.replicaCount = replicaCount;
        this.progress = progress;
        this.clocks = clocks;
        this.table = table;
        this.publisher = publisher;
        this.fullIntervalNs = fullIntervalNs;
    }

    /** This replica gave {@code dot} the range from {@code from} on {@code key} (proposals raise clocks: in order). */
    void onAttached(final long dot, final long key, final long from)
    {
        LongArrayList list = ownAttached.get(key);
        if (list == null)
        {
            list = pool.isEmpty() ? new LongArrayList() : pool.pop();
            ownAttached.put(key, list);
        }
        int at = list.size();
        while (at > 0 && list.getLong(at - 1) > from)
        {
            at -= 2; // a replay may restore an older proposal after a newer one: keep the order by from
        }
        list.addLong(at, dot);
        list.addLong(at + 1, from);
    }

    /** {@code dot} executed everywhere and was forgotten: its attached promise counts at every replica already. */
    void onCollected(final long dot, final long key)
    {
        final LongArrayList list = ownAttached.get(key);
        if (list == null)
        {
            return;
        }
        for (int i = 0; i < list.size(); i += 2)
        {
            if (list.getLong(i) == dot)
            {
                list.removeAt(i + 1);
                list.removeAt(i);
                break;
            }
        }
        if (list.isEmpty())
        {
            ownAttached.remove(key);
            pool.push(list);
        }
    }

    /** Whether this replica has an attached promise on {@code key} whose dot is not yet executed everywhere. */
    boolean hasAttached(final long key)
    {
        return ownAttached.containsKey(key);
    }

    /** Sends every key at the next tick (after a restart: peers and this replica's own row start from nothing). */
    void sendAllNext()
    {
        fullDue = true;
    }

    void onTick(final long nowNs)
    {
        scratchKeys.clear();
        boolean allKeysAdded = false;
        if (fullDue || nowNs - lastFullNs >= fullIntervalNs)
        {
            fullDue = false;
            lastFullNs = nowNs;
            final int keyCount = clocks.keyCount();
            allKeysAdded = keyCount <= FULL_REFRESH_KEYS;
            for (int i = 0, n = Math.min(keyCount, FULL_REFRESH_KEYS); i < n; i++)
            {
                refreshCursor = refreshCursor >= keyCount - 1 ? 0 : refreshCursor + 1;
                scratchKeys.addLong(clocks.keyAt(refreshCursor));
            }
        }
        if (!allKeysAdded)
        {
            // may repeat a key of the refresh window: its snapshot is then applied twice, which changes nothing
            final LongHashSet.LongIterator changed = clocks.changed().iterator();
            while (changed.hasNext())
            {
                scratchKeys.addLong(changed.nextValue());
            }
        }
        clocks.clearChanged();
        send();
    }

    /** The keys whose clocks moved since the last send, and only those (the full refresh stays with the tick). */
    void sendChanged()
    {
        if (clocks.changed().isEmpty())
        {
            return;
        }
        scratchKeys.clear();
        final LongHashSet.LongIterator changed = clocks.changed().iterator();
        while (changed.hasNext())
        {
            scratchKeys.addLong(changed.nextValue());
        }
        clocks.clearChanged();
        send();
    }

    private void send()
    {
        for (int replica = 0; replica < replicaCount; replica++)
        {
            sendTo(replica);
        }
    }

    /** One destination's snapshots of the keys gathered for this tick; for this replica, its own row only. */
    private void sendTo(final int replica)
    {
        final int total = scratchKeys.size();
        int start = 0;
        while (start < total)
        {
            int end = start;
            int bytes = 64;
            while (end < total)
            {
                final int keyBytes = KEY_BYTES + ATTACHED_BYTES * MAX_ATTACHED_PER_KEY;
                if (end > start && bytes + keyBytes > MESSAGE_BYTES_LIMIT)
                {
                    break;
                }
                bytes += keyBytes;
                end++;
            }
            if (replica != self)
            {
                publisher.beginPromises(end - start);
            }
            for (int i = start; i < end; i++)
            {
                encodeKey(replica, scratchKeys.getLong(i));
            }
            if (replica != self)
            {
                publisher.sendPromisesTo(replica);
            }
            start = end;
        }
    }

    /**
     * The key's snapshot for {@code replica}: the attached promises whose dots it has not executed, at most
     * {@link #MAX_ATTACHED_PER_KEY}, and the clock, lowered below the first such promise left out.
     */
    private void encodeKey(final int replica, final long key)
    {
        final LongArrayList list = ownAttached.get(key);
        final int size = null == list ? 0 : list.size() / 2;
        int count = 0;
        long clockUpTo = clocks.clock(key);
        for (int i = 0; i < size; i++)
        {
            if (!progress.hasExecuted(replica, list.getLong(2 * i)))
            {
                if (count == MAX_ATTACHED_PER_KEY)
                {
                    clockUpTo = Math.min(clockUpTo, list.getLong(2 * i + 1) - 1);
                    break;
                }
                count++;
            }
        }
        final boolean toSelf = replica == self;
        final TempoPromisesEncoder.KeysEncoder.AttachedEncoder attached =
            toSelf ? null : publisher.promisedKey(key, clockUpTo, count);
        if (toSelf)
        {
            table.beginKey(self, key, clockUpTo);
        }
        for (int i = 0, written = 0; i < size && written < count; i++)
        {
            final long dot = list.getLong(2 * i);
            if (!progress.hasExecuted(replica, dot))
            {
                final long from = list.getLong(2 * i + 1);
                if (toSelf)
                {
                    table.attached(dot, from);
                }
                else
                {
                    attached.next().dot(dot).from(from);
                }
                written++;
            }
        }
        if (toSelf)
        {
            table.endKey(key);
        }
    }
}
