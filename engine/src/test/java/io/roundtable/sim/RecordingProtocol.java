package io.roundtable.sim;

import io.roundtable.protocol.ProtocolFactory;
import io.roundtable.protocol.Outbox;
import io.roundtable.protocol.Protocol;
import io.roundtable.protocol.ProtocolContext;
import io.roundtable.protocol.ProtocolCounters;
import io.roundtable.protocol.ReplicaCore;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/** Passes everything to a real protocol core and logs which inputs it got, in order, for tests of the wiring. */
final class RecordingProtocol implements Protocol
{
    /** One log per protocol object ever built (one per incarnation of each replica), in build order. */
    static final class Log
    {
        final List<RecordingProtocol> built = new ArrayList<>();
        /** Makes every protocol send a (meaningless) message from inside replay, which the simulator must report. */
        boolean sendWhileReplaying;

        ProtocolFactory around(final ProtocolFactory factory)
        {
            return new ProtocolFactory()
            {
                public ReplicaCore create(final ProtocolContext context)
                {
                    final ReplicaCore core = factory.create(context);
                    final RecordingProtocol protocol = new RecordingProtocol(
                        context.replicaId(), core.protocol(), sendWhileReplaying ? context.outbox() : null);
                    built.add(protocol);
                    return new ReplicaCore(protocol, core.executor());
                }

                public void checkClusterSize(final int replicas, final int faults)
                {
                    factory.checkClusterSize(replicas, faults);
                }
            };
        }

        List<RecordingProtocol> of(final int replica)
        {
            final List<RecordingProtocol> incarnations = new ArrayList<>();
            for (final RecordingProtocol protocol : built)
            {
                if (protocol.replica == replica)
                {
                    incarnations.add(protocol);
                }
            }
            return incarnations;
        }
    }

    final int replica;
    final List<String> inputs = new ArrayList<>();
    final List<Long> missingDependencies = new ArrayList<>();
    private final Protocol delegate;
    private final Outbox sendWhileReplaying;

    RecordingProtocol(final int replica, final Protocol delegate, final Outbox sendWhileReplaying)
    {
        this.replica = replica;
        this.delegate = delegate;
        this.sendWhileReplaying = sendWhileReplaying;
    }

    public long submit(final DirectBuffer commandBatch, final int offset, final int length)
    {
        inputs.add("submit");
        return delegate.submit(commandBatch, offset, length);
    }

    public void onMessage(final int fromReplica, final DirectBuffer buffer, final int offset, final int length)
    {
        inputs.add("message");
        delegate.onMessage(fromReplica, buffer, offset, length);
    }

    public void onTick(final long nowNs)
    {
        inputs.add("tick");
        delegate.onTick(nowNs);
    }

    public void replay(final DirectBuffer record, final int offset, final int length)
    {
        inputs.add("replay");
        delegate.replay(record, offset, length);
        if (sendWhileReplaying != null)
        {
            sendWhileReplaying.buffer().putLong(0, 0);
            sendWhileReplaying.sendToAll(8);
        }
    }

    public void onMissingDependency(final long dot)
    {
        missingDependencies.add(dot);
        delegate.onMissingDependency(dot);
    }

    public boolean wrapCommands(final long dot, final UnsafeBuffer view)
    {
        return delegate.wrapCommands(dot, view);
    }

    public void onExecuted(final long dot)
    {
        delegate.onExecuted(dot);
    }

    public int snapshotState(final MutableDirectBuffer out, final int offset)
    {
        inputs.add("snapshot");
        return delegate.snapshotState(out, offset);
    }

    public void journalLiveInstances()
    {
        delegate.journalLiveInstances();
    }

    public void restoreState(final DirectBuffer state, final int offset, final int length)
    {
        inputs.add("restore");
        delegate.restoreState(state, offset, length);
    }

    public ProtocolCounters counters()
    {
        return delegate.counters();
    }
}
