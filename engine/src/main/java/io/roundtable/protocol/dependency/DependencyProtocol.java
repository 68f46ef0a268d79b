package io.roundtable.protocol.dependency;

import io.roundtable.protocol.Protocol;
import io.roundtable.protocol.ProtocolCounters;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A dependency-graph protocol (EPaxos, Atlas): the {@link Protocol} plumbing that is the same for both answers from
 * its {@link DependencyReplica}, so the protocol's class implements only its message flow, {@link #submit} and
 * {@link #onCommit}.
 */
public interface DependencyProtocol extends Protocol, DependencyHandler
{
    /** The shared tables, gates and bookkeeping of this replica. */
    DependencyReplica core();

    default void onMessage(final int fromReplica, final DirectBuffer buffer, final int offset, final int length)
    {
        core().onMessage(fromReplica, buffer, offset, length);
    }

    default void onTick(final long nowNs)
    {
        core().onTick(nowNs);
    }

    default void onProgress(final int from, final int replica, final int origin, final long upTo)
    {
        core().onProgress(replica, origin, upTo);
    }

    default void replay(final DirectBuffer record, final int offset, final int length)
    {
        core().replay(record, offset, length);
    }

    default void onMissingDependency(final long dot)
    {
        core().onMissingDependency(dot);
    }

    default boolean wrapCommands(final long dot, final UnsafeBuffer view)
    {
        return core().wrapCommands(dot, view);
    }

    default void onExecuted(final long dot)
    {
        core().onExecuted(dot);
    }

    default ProtocolCounters counters()
    {
        return core().counters;
    }

    default int snapshotState(final MutableDirectBuffer out, final int offset)
    {
        return core().snapshotState(out, offset);
    }

    default void journalLiveInstances()
    {
        core().journalLiveInstances();
    }

    default void restoreState(final DirectBuffer state, final int offset, final int length)
    {
        core().restoreState(state, offset, length);
    }

    default void onUnexpected(final int from, final int templateId)
    {
        core().counters.malformedDropped++;
    }

    /** The status of {@code dot} here: 0 none, 1 pre-accepted, 2 accepted, 3 committed, 4 executed. */
    default int statusOf(final long dot)
    {
        return core().knownStatus(dot);
    }

    /** Instances held in the tables right now (decided ones are dropped once executed everywhere). */
    default int instanceCount()
    {
        return core().instanceCount();
    }
}
