package io.roundtable.sim.check;

/**
 * What a client asked of one key. Every key is an independent register of {@code long} values that starts at
 * {@link History#ABSENT}.
 */
public enum OperationKind
{
    /** Writes {@code argument}; the output is ignored. */
    PUT,

    /** Reads the register; the output is the value read, or {@link History#ABSENT} if the key was never written. */
    GET,

    /**
     * Compare-and-set: writes {@code argument} iff the register holds {@code expected}; the output is 1 if it
     * swapped, 0 if not.
     */
    CAS
}
