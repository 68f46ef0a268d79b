package io.roundtable.sim.check;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks a {@link History} of a key-value store whose keys are independent registers for linearizability.
 * <p>
 * Linearizability is compositional (Herlihy and Wing's locality, which Porcupine calls P-compositionality): a history
 * is linearizable iff its restriction to every key is, so each key is searched on its own, which turns one search
 * exponential in the whole history into many small ones. The per-key search is {@link KeySearch}. Keys are checked in
 * ascending order so a report is reproducible; the first violation wins over any key that ran out of budget, because
 * a violation is definite.
 */
public final class LinearizabilityChecker
{
    /**
     * Configurations one key may explore before its verdict becomes {@link Result#unknown()}. A linearizable
     * simulator history with distinct written values needs about one per operation. A configuration costs about 100
     * bytes plus 8 per 64 operations on the key, so a key of a few thousand operations that uses the whole budget
     * holds well under 1 GiB, and takes a few seconds.
     */
    public static final long DEFAULT_MAX_STATES_PER_KEY = 1_000_000L;

    private LinearizabilityChecker()
    {
    }

    public static Result check(final History history)
    {
        return check(history, DEFAULT_MAX_STATES_PER_KEY);
    }

    /**
     * @param maxStatesPerKey configurations each key's search may explore; beyond it the key, and so the history,
     *                        is reported as {@link Result#unknown()} rather than hanging the build.
     */
    public static Result check(final History history, final long maxStatesPerKey)
    {
        if (maxStatesPerKey <= 0)
        {
            throw new IllegalArgumentException("maxStatesPerKey must be positive: " + maxStatesPerKey);
        }

        final TreeMap<Long, List<Operation>> byKey = new TreeMap<>();
        for (final Operation op : history.operations())
        {
            // A GET that never returned changes nothing and may have read anything: it constrains nothing.
            if (op.completed() || op.kind() != OperationKind.GET)
            {
                byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
            }
        }

        long statesExplored = 0;
        long unknownKey = 0;
        String unknownExplanation = null;
        for (final Map.Entry<Long, List<Operation>> entry : byKey.entrySet())
        {
            final long key = entry.getKey();
            final Operation[] ops = entry.getValue().toArray(new Operation[0]);

            final String impossibleRead = findReadOfUnwrittenValue(key, ops);
            if (impossibleRead != null)
            {
                return new Result(Verdict.NOT_LINEARIZABLE, key, impossibleRead, statesExplored);
            }

            final KeySearch search = new KeySearch(new KeyHistory(ops), maxStatesPerKey);
            final int outcome = search.run();
            statesExplored += search.statesExplored();
            if (outcome == KeySearch.VIOLATION)
            {
                return new Result(
                    Verdict.NOT_LINEARIZABLE, key, ViolationReport.violation(key, ops, search), statesExplored);
            }
            if (outcome == KeySearch.UNKNOWN && unknownExplanation == null)
            {
                unknownKey = key;
                unknownExplanation = ViolationReport.budgetExceeded(key, ops, search, maxStatesPerKey);
            }
        }

        if (unknownExplanation != null)
        {
            return new Result(Verdict.UNKNOWN, unknownKey, unknownExplanation, statesExplored);
        }
        return new Result(Verdict.LINEARIZABLE, 0, "linearizable", statesExplored);
    }

    /**
     * The commonest symptom of a broken replica, a read of a value nobody wrote, is caught before searching so the
     * report names the read alone rather than a prefix of the search. Only writes that may have happened count:
     * PUTs, and CASes that swapped or are pending.
     */
    private static String findReadOfUnwrittenValue(final long key, final Operation[] ops)
    {
        final HashSet<Long> written = new HashSet<>();
        for (final Operation op : ops)
        {
            if (op.kind() == OperationKind.PUT ||
                (op.kind() == OperationKind.CAS && (!op.completed() || op.output() == 1)))
            {
                written.add(op.argument());
            }
        }

        for (final Operation op : ops)
        {
            if (!op.completed())
            {
                continue;
            }
            if (op.kind() == OperationKind.GET && op.output() != History.ABSENT && !written.contains(op.output()))
            {
                return ViolationReport.unwrittenValue(key, op, op.output());
            }
            if (op.kind() == OperationKind.CAS && op.output() == 1 &&
                op.expected() != History.ABSENT && !written.contains(op.expected()))
            {
                return ViolationReport.unwrittenValue(key, op, op.expected());
            }
        }
        return null;
    }

    public enum Verdict
    {
        LINEARIZABLE,
        NOT_LINEARIZABLE,
        /** The search budget ran out on some key before it found a linearization or proved there is none. */
        UNKNOWN
    }

    /** The verdict on a whole history; on a violation or an unknown, which key and why. */
    public static final class Result
    {
        private final Verdict verdict;
        private final long key;
        private final String explanation;
        private final long statesExplored;

        Result(final Verdict verdict, final long key, final String explanation, final long statesExplored)
        {
            this.verdict = verdict;
            this.key = key;
            this.explanation = explanation;
            this.statesExplored = statesExplored;
        }

        public Verdict verdict()
        {
            return verdict;
        }

        /** Linearizable: every key has a linearization. */
        public boolean ok()
        {
            return verdict == Verdict.LINEARIZABLE;
        }

        /** Some key has no linearization; {@link #key()} and {@link #explanation()} say which and why. */
        public boolean violation()
        {
            return verdict == Verdict.NOT_LINEARIZABLE;
        }

        /** Undecided: a key exceeded the search budget (and no other key was found in violation). Not a pass. */
        public boolean unknown()
        {
            return verdict == Verdict.UNKNOWN;
        }

        /** The key that is not linearizable, or that exhausted the budget; meaningless when {@link #ok()}. */
        public long key()
        {
            return key;
        }

        /** Human-readable: the operation that cannot take effect and the window of operations around it. */
        public String explanation()
        {
            return explanation;
        }

        /** Configurations explored over all keys checked, a machine-independent measure of the checker's work. */
        public long statesExplored()
        {
            return statesExplored;
        }

        public String toString()
        {
            return verdict + " (" + statesExplored + " states explored)" + (ok() ? "" : ": " + explanation);
        }
    }
}
