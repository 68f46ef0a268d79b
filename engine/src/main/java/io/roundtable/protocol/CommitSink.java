package io.roundtable.protocol;

/**
 * Receives decided instances of dependency-graph protocols (EPaxos, Atlas), in commit order, for the executor.
 * Arrays are the caller's and reused: copy what you keep.
 */
public interface CommitSink
{
    void onCommit(long dot, int seq, long[] deps, int depsCount);
}
