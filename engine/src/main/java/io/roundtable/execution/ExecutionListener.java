package io.roundtable.execution;

/**
 * Receives committed commands in execution order: once per dot, dependencies (sinks) first and, inside a strongly
 * connected component, in the executor's deterministic order. Called on the executor's thread; it must not call
 * back into {@code execute}.
 */
@FunctionalInterface
public interface ExecutionListener
{
    void onExecute(long dot);
}
