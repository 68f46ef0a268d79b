package io.roundtable.protocol;

import io.roundtable.execution.CommandExecutor;

/**
 * One replica's protocol core and the executor it feeds, wired to each other by a {@link ProtocolFactory}: the
 * runtime and the simulator drive both, and never need to know which kind of executor a protocol uses.
 */
public record ReplicaCore(Protocol protocol, CommandExecutor executor)
{
}
