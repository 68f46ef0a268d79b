package io.roundtable.sim.check;

import java.util.Arrays;
import java.util.HashSet;
import java.util.SplittableRandom;

/**
 * The Wing–Gong–Lowe search for one key's register, in the shape Porcupine uses: call and return events sorted by
 * time in a doubly linked list ({@link EventList}), from which an operation's events are lifted as it is linearized;
 * a configuration (set of linearized operations, register value) that was seen before is never explored again,
 * because reaching it again means it failed the first time.
 * <p>
 * The candidates at a configuration are the calls before the first remaining return: that return's operation must
 * be linearized before time passes it, and every call before it has begun. Plain WGL drowns when many clients share
 * a key, because a wrong early choice is refuted only after every order of the concurrent operations behind it. Four
 * rules cut the search without changing the answer, each argued where it is applied:
 * <ol>
 *     <li>a valid read-only operation is taken without a choice point ({@link #expand});</li>
 *     <li>a write that would strand an operation needing the current value is not tried
 *     ({@link #destroysNeededValue});</li>
 *     <li>a pending write is tried only just before an operation that observes it ({@link #rankCandidates});</li>
 *     <li>configurations that differ only in which dead value the register holds are one ({@link #references}).</li>
 * </ol>
 * The order in which the remaining candidates are tried ({@link #rankCandidates}) decides how much is explored before
 * a linearizable history is accepted. With every write's value distinct, a history of thousands of operations from
 * 30 clients on one key is accepted in about one configuration per operation; repeated values weaken rules 2 and 4.
 * <p>
 * Pending operations have no return event: it would sit at +infinity, after every completed return, and the search
 * succeeds as soon as every completed operation is linearized (the rest can take effect after everything, or never).
 */
final class KeySearch
{
    static final int LINEARIZABLE = 0;
    static final int VIOLATION = 1;
    static final int UNKNOWN = 2;

    /** How many of the last linearized operations of the longest prefix are kept for the report. */
    static final int PREFIX_TAIL = 4;

    private static final int NIL = -1;
    private static final int DEAD = -2;

    private final KeyHistory history;
    private final long maxStates;

    private final EventList events;

    /**
     * Per value id: everything before these positions in {@code needersOf} and {@code writersOf} is linearized.
     * They move forward lazily as the search looks and back when an operation is undone.
     */
    private final int[] neederCursor;
    private final int[] writerCursor;

    /**
     * Per value id: remaining operations whose validity or effect depends on the register holding it (they need it,
     * forbid it, or swap from it). A value nobody refers to any more is dead, and every dead value has the same
     * future, so configurations differing only in which dead value the register holds are one configuration. This
     * is what keeps many concurrent writes nobody reads from multiplying the search.
     */
    private final int[] references;

    private final long[] zobrist;
    private final long[] linearizedWords;
    private final HashSet<Configuration> seen = new HashSet<>();
    private final Configuration probe;
    private long linearizedHash;

    private final int[] frameOp;
    private final int[] frameState;
    private final boolean[] frameForced;
    private final int[] frameCandidateStart;
    private final int[] frameCandidateEnd;
    private final int[] frameCandidateNext;
    private int[] candidates = new int[64];
    private int candidateTop;
    private int[] scratchOp = new int[32];
    private int[] scratchPriority = new int[32];
    private long[] scratchDeadline = new long[32];
    private int[] wantedValue = new int[32];
    private long[] wantedDeadline = new long[32];

    private int state = KeyHistory.ABSENT_ID;
    private int depth;
    private int linearizedCompleted;
    private long statesExplored;
    private boolean budgetExceeded;

    private int deepest = -1;
    private int stuckOp = NIL;
    private int stuckState;
    private int stuckStranded = NIL;
    private int stranded = NIL;
    private final int[] deepestTail = new int[PREFIX_TAIL];
    private int deepestTailLength;

    /** @param maxStates how many configurations may be explored before giving up with {@link #UNKNOWN}. */
    KeySearch(final KeyHistory history, final long maxStates)
    {
        this.history = history;
        this.maxStates = maxStates;
        final int n = history.size;

        events = new EventList(history);

        neederCursor = new int[history.valueCount];
        writerCursor = new int[history.valueCount];
        references = new int[history.valueCount];
        for (int j = 0; j < n; j++)
        {
            reference(j, 1);
        }

        // Zobrist hashing keeps the set's hash incrementally as operations are linearized and undone.
        final SplittableRandom random = new SplittableRandom(0x5EEDL);
        zobrist = new long[n];
        for (int j = 0; j < n; j++)
        {
            zobrist[j] = random.nextLong();
        }
        linearizedWords = new long[(n + 63) >>> 6];
        probe = new Configuration(linearizedWords, 0, 0);

        frameOp = new int[n];
        frameState = new int[n];
        frameForced = new boolean[n];
        frameCandidateStart = new int[n];
        frameCandidateEnd = new int[n];
        frameCandidateNext = new int[n];
    }

    int run()
    {
        int candidateStart;
        int candidateEnd;
        int candidateNext;

        node:
        while (true)
        {
            if (linearizedCompleted == history.completedCount)
            {
                return LINEARIZABLE;
            }

            candidateStart = candidateTop;
            final int forced = expand();
            if (forced != NIL)
            {
                if (descend(forced, true, candidateStart, candidateStart, candidateStart))
                {
                    continue;
                }
                if (budgetExceeded)
                {
                    return UNKNOWN;
                }
                candidateEnd = candidateStart;
            }
            else
            {
                candidateEnd = candidateTop;
            }
            candidateNext = candidateStart;

            while (true)
            {
                while (candidateNext < candidateEnd)
                {
                    final int j = candidates[candidateNext++];
                    if (descend(j, false, candidateStart, candidateEnd, candidateNext))
                    {
                        continue node;
                    }
                    if (budgetExceeded)
                    {
                        return UNKNOWN;
                    }
                }

                // Every candidate failed, so this configuration fails; so does its parent if it got here by force.
                do
                {
                    if (depth == 0)
                    {
                        return VIOLATION;
                    }
                    undo();
                }
                while (frameForced[depth]);

                candidateStart = frameCandidateStart[depth];
                candidateEnd = frameCandidateEnd[depth];
                candidateNext = frameCandidateNext[depth];
                candidateTop = candidateEnd;
            }
        }
    }

    long statesExplored()
    {
        return statesExplored;
    }

    /** The index into the key's operations of the one that could not be linearized after the longest prefix. */
    int stuckOp()
    {
        return stuckOp;
    }

    /**
     * An operation that, after the longest prefix, needs the current value when nothing left can write it back in
     * time, which is why no write could go next; or -1.
     */
    int strandedOp()
    {
        return stuckStranded;
    }

    /** The register value after the longest linearizable prefix. */
    long stuckValue()
    {
        return history.value(stuckState);
    }

    /** Length of the longest prefix found that linearizes without contradiction. */
    int longestPrefix()
    {
        return deepest;
    }

    /** The last few operations of that prefix, in linearization order. */
    int[] longestPrefixTail()
    {
        return Arrays.copyOf(deepestTail, deepestTailLength);
    }

    /**
     * Collects the candidates of the current configuration into {@code candidates[candidateTop..]}, best first, or
     * returns a read-only operation that is valid now, to be taken without a choice point: any linearization from
     * here that places it later stays valid with it moved here, since it changes nothing and is already invoked (so
     * nothing left precedes it). So if that child fails, this configuration fails too.
     */
    private int expand()
    {
        final KeyHistory h = history;
        int count = 0;
        int wantedCount = 0;
        boolean anyOtherValueWanted = false;
        int firstReturn = NIL;
        stranded = NIL;

        for (int e = events.first(); e != EventList.END; e = events.next(e))
        {
            final int j = EventList.operation(e);
            if (EventList.isReturn(e))
            {
                firstReturn = j;
                break;
            }
            if (!h.isValid(j, state))
            {
                if (h.forbids[j] == state)
                {
                    anyOtherValueWanted = true;
                }
                else
                {
                    wantedCount = want(wantedCount, h.needs[j], h.completeTime[j]);
                }
                continue;
            }
            if (h.isReadOnly(j))
            {
                return j;
            }
            if (!h.completed[j] && h.writeIf[j] != KeyHistory.NONE && h.writeIf[j] != state)
            {
                wantedCount = want(wantedCount, h.writeIf[j], Long.MAX_VALUE);
            }
            final int after = h.apply(j, state);
            if (after == state ? h.completed[j] : !destroysNeededValue(j))
            {
                if (count == scratchOp.length)
                {
                    growScratch();
                }
                scratchOp[count++] = j;
            }
        }

        count = rankCandidates(count, wantedCount, anyOtherValueWanted);
        sortScratch(count);
        for (int i = 0; i < count; i++)
        {
            pushCandidate(scratchOp[i]);
        }

        if (depth > deepest)
        {
            recordDeepest(firstReturn);
        }
        return NIL;
    }

    private int want(final int wantedCount, final int value, final long deadline)
    {
        if (wantedCount == wantedValue.length)
        {
            wantedValue = Arrays.copyOf(wantedValue, wantedCount * 2);
            wantedDeadline = Arrays.copyOf(wantedDeadline, wantedCount * 2);
        }
        wantedValue[wantedCount] = value;
        wantedDeadline[wantedCount] = deadline;
        return wantedCount + 1;
    }

    /**
     * Orders the candidates, best first, and drops pending writes nobody is waiting for.
     * <p>
     * A wrong early choice is refuted only after every order of the concurrent operations behind it, so the order
     * matters. A CAS that can swap now comes first: it consumes the current value, which anything else would
     * overwrite. The other writes are tried by urgency: the earlier of their own return and the return of an invoked
     * operation waiting for the value they write.
     * <p>
     * A pending write has no deadline, so it can always wait until just before an operation that observes it: one
     * that is invalid now and valid once the write is done. Any linearization can be rearranged that way (valid reads
     * in between move ahead of it; a write that overwrites it unobserved makes it pointless, and a pending write may be
     * left out), so a pending write is tried only when such an operation is among the calls before the first return.
     */
    private int rankCandidates(final int count, final int wantedCount, final boolean anyOtherValueWanted)
    {
        final KeyHistory h = history;
        int kept = 0;
        for (int i = 0; i < count; i++)
        {
            final int j = scratchOp[i];
            final int after = h.apply(j, state);
            boolean wanted = false;
            long wantedBy = Long.MAX_VALUE;
            for (int w = 0; w < wantedCount; w++)
            {
                if (wantedValue[w] == after)
                {
                    wanted = true;
                    wantedBy = Math.min(wantedBy, wantedDeadline[w]);
                }
            }
            if (!h.completed[j] && !wanted && !anyOtherValueWanted)
            {
                continue;
            }

            scratchOp[kept] = j;
            scratchPriority[kept] = h.needs[j] != KeyHistory.NONE || h.writeIf[j] != KeyHistory.NONE ? 0 : 1;
            scratchDeadline[kept] = Math.min(wantedBy, h.completeTime[j]);
            kept++;
        }
        return kept;
    }

    /**
     * Would linearizing {@code j} now, which changes the value, strand an operation that needs the current value?
     * It would if nothing that can write the value back could still come before it: every remaining writer was
     * invoked after the needy operation returned. The needy operation due first is the hardest to serve, so it is
     * the only one to look at. The same goes one step further for a value that only pending CASes from the current
     * value can write: overwriting the current value disarms them.
     */
    private boolean destroysNeededValue(final int j)
    {
        final int needer = firstNeeder(state, j);
        if (needer != NIL && !canBeWrittenBy(state, history.completeTime[needer], NIL))
        {
            stranded = needer;
            return true;
        }

        for (final int p : history.pendingSwapsFrom[state])
        {
            final int value = history.writes[p];
            if (p == j || isLinearized(p) || value == state || value == history.writes[j])
            {
                continue;
            }
            final int indirectNeeder = firstNeeder(value, j);
            if (indirectNeeder != NIL &&
                !canBeWrittenBy(value, history.completeTime[indirectNeeder], state) &&
                !canBeWrittenBy(state, history.completeTime[indirectNeeder], NIL))
            {
                stranded = indirectNeeder;
                return true;
            }
        }
        return false;
    }

    /** The remaining operation other than {@code j} that needs {@code value} and returns first, or {@link #NIL}. */
    private int firstNeeder(final int value, final int j)
    {
        final int[] needers = history.needersOf[value];
        int i = advance(needers, neederCursor, value);
        while (i < needers.length && (needers[i] == j || isLinearized(needers[i])))
        {
            i++;
        }
        return i < needers.length ? needers[i] : NIL;
    }

    /**
     * Could a remaining operation invoked by {@code deadline} write {@code value}, not counting pending CASes that
     * swap from {@code except}?
     */
    private boolean canBeWrittenBy(final int value, final long deadline, final int except)
    {
        final int[] writers = history.writersOf[value];
        for (int w = advance(writers, writerCursor, value);
            w < writers.length && history.invokeTime[writers[w]] <= deadline;
            w++)
        {
            final int writer = writers[w];
            if (!isLinearized(writer) && (except == NIL || history.writeIf[writer] != except))
            {
                return true;
            }
        }
        return false;
    }

    private int advance(final int[] ops, final int[] cursors, final int value)
    {
        int i = cursors[value];
        while (i < ops.length && isLinearized(ops[i]))
        {
            i++;
        }
        cursors[value] = i;
        return i;
    }

    private boolean isLinearized(final int j)
    {
        return (linearizedWords[j >>> 6] & (1L << j)) != 0;
    }

    private boolean descend(
        final int j,
        final boolean forced,
        final int candidateStart,
        final int candidateEnd,
        final int candidateNext)
    {
        final int newState = history.apply(j, state);

        linearizedWords[j >>> 6] |= 1L << j;
        linearizedHash ^= zobrist[j];
        reference(j, -1);
        probe.reset(linearizedHash, references[newState] == 0 ? DEAD : newState);
        final boolean seenBefore = seen.contains(probe);
        if (seenBefore || statesExplored >= maxStates)
        {
            budgetExceeded = !seenBefore;
            reference(j, 1);
            linearizedWords[j >>> 6] &= ~(1L << j);
            linearizedHash ^= zobrist[j];
            return false;
        }
        statesExplored++;
        seen.add(new Configuration(linearizedWords.clone(), linearizedHash, probe.value));

        frameOp[depth] = j;
        frameState[depth] = state;
        frameForced[depth] = forced;
        frameCandidateStart[depth] = candidateStart;
        frameCandidateEnd[depth] = candidateEnd;
        frameCandidateNext[depth] = candidateNext;
        depth++;

        events.lift(j);
        state = newState;
        linearizedCompleted += history.completed[j] ? 1 : 0;
        return true;
    }

    private void undo()
    {
        depth--;
        final int j = frameOp[depth];
        state = frameState[depth];
        events.unlift(j);
        reference(j, 1);
        linearizedWords[j >>> 6] &= ~(1L << j);
        if (history.needs[j] != KeyHistory.NONE)
        {
            neederCursor[history.needs[j]] = Math.min(neederCursor[history.needs[j]], history.neederPosition[j]);
        }
        if (history.writes[j] != KeyHistory.NONE)
        {
            writerCursor[history.writes[j]] = Math.min(writerCursor[history.writes[j]], history.writerPosition[j]);
        }
        linearizedHash ^= zobrist[j];
        linearizedCompleted -= history.completed[j] ? 1 : 0;
    }

    private void reference(final int j, final int delta)
    {
        final KeyHistory h = history;
        if (h.needs[j] != KeyHistory.NONE)
        {
            references[h.needs[j]] += delta;
        }
        if (h.forbids[j] != KeyHistory.NONE)
        {
            references[h.forbids[j]] += delta;
        }
        if (h.writeIf[j] != KeyHistory.NONE)
        {
            references[h.writeIf[j]] += delta;
        }
    }

    private void pushCandidate(final int j)
    {
        if (candidateTop == candidates.length)
        {
            candidates = Arrays.copyOf(candidates, candidateTop * 2);
        }
        candidates[candidateTop++] = j;
    }

    /** Insertion sort by (priority, deadline): candidate lists are about as long as the number of clients. */
    private void sortScratch(final int count)
    {
        for (int i = 1; i < count; i++)
        {
            final int op = scratchOp[i];
            final int priority = scratchPriority[i];
            final long deadline = scratchDeadline[i];
            int k = i - 1;
            while (k >= 0 && (scratchPriority[k] > priority ||
                (scratchPriority[k] == priority && scratchDeadline[k] > deadline)))
            {
                scratchOp[k + 1] = scratchOp[k];
                scratchPriority[k + 1] = scratchPriority[k];
                scratchDeadline[k + 1] = scratchDeadline[k];
                k--;
            }
            scratchOp[k + 1] = op;
            scratchPriority[k + 1] = priority;
            scratchDeadline[k + 1] = deadline;
        }
    }

    private void growScratch()
    {
        final int length = scratchOp.length * 2;
        scratchOp = Arrays.copyOf(scratchOp, length);
        scratchPriority = Arrays.copyOf(scratchPriority, length);
        scratchDeadline = Arrays.copyOf(scratchDeadline, length);
    }

    private void recordDeepest(final int firstReturn)
    {
        deepest = depth;
        stuckOp = firstReturn;
        stuckStranded = stranded;
        stuckState = state;
        deepestTailLength = Math.min(PREFIX_TAIL, depth);
        for (int i = 0; i < deepestTailLength; i++)
        {
            deepestTail[i] = frameOp[depth - deepestTailLength + i];
        }
    }

    /** A configuration of the search: which operations are linearized and the register value (id) they leave. */
    private static final class Configuration
    {
        private final long[] words;
        private long setHash;
        private int value;
        private int hash;

        Configuration(final long[] words, final long setHash, final int value)
        {
            this.words = words;
            reset(setHash, value);
        }

        void reset(final long setHash, final int value)
        {
            this.setHash = setHash;
            this.value = value;
            final long h = setHash ^ (value * 0x9E3779B97F4A7C15L);
            hash = (int)(h ^ (h >>> 32));
        }

        public int hashCode()
        {
            return hash;
        }

        public boolean equals(final Object o)
        {
            if (!(o instanceof Configuration))
            {
                return false;
            }
            final Configuration that = (Configuration)o;
            return value == that.value && setHash == that.setHash && Arrays.equals(words, that.words);
        }
    }
}
