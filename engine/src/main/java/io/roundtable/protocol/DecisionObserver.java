package io.roundtable.protocol;

/**
 * Sees every decision a protocol core reaches, whatever its executor: for the simulator's agreement checker and for
 * tools. {@code order} is what the protocol agrees on besides the commands: EPaxos's seq, 0 for Atlas (dot order), the
 * timestamp for Tempo, the slot for Multi-Paxos. Arrays are the caller's and reused: copy what you keep. Called on the
 * core's thread, before the decision reaches the executor.
 */
@FunctionalInterface
public interface DecisionObserver
{
    DecisionObserver NONE = (dot, order, deps, depsCount) -> { };

    void onDecided(long dot, long order, long[] deps, int depsCount);
}
