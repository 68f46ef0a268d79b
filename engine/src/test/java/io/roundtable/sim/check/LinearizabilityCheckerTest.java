package io.roundtable.sim.check;

import org.junit.jupiter.api.Test;

import static io.roundtable.sim.check.History.ABSENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinearizabilityCheckerTest
{
    private static final long KEY = 7;

    private final History history = new History();

    @Test
    void emptyHistoryIsLinearizable()
    {
        assertLinearizable();
    }

    @Test
    void putThenGetReturningTheValueIsLinearizable()
    {
        put(1, KEY, 42, 0, 10);
        get(2, KEY, 42, 20, 30);

        assertLinearizable();
    }

    @Test
    void getOfNeverWrittenKeyReturnsAbsent()
    {
        get(1, KEY, ABSENT, 0, 10);
        put(1, KEY, 5, 20, 30);

        assertLinearizable();
    }

    @Test
    void getReturningStaleValueAfterCompletedPutIsNotLinearizable()
    {
        put(1, KEY, 1, 0, 10);
        put(1, KEY, 2, 20, 30);
        get(2, KEY, 1, 40, 50);

        assertViolationOn(KEY);
    }

    @Test
    void getReturningAbsentAfterCompletedPutIsNotLinearizable()
    {
        put(1, KEY, 1, 0, 10);
        get(2, KEY, ABSENT, 20, 30);

        assertViolationOn(KEY);
    }

    @Test
    void getConcurrentWithPutMayReturnTheOldValue()
    {
        put(1, KEY, 1, 0, 10);
        put(1, KEY, 2, 20, 40);
        get(2, KEY, 1, 25, 35);

        assertLinearizable();
    }

    @Test
    void getConcurrentWithPutMayReturnTheNewValue()
    {
        put(1, KEY, 1, 0, 10);
        put(1, KEY, 2, 20, 40);
        get(2, KEY, 2, 25, 35);

        assertLinearizable();
    }

    @Test
    void getMayReturnTheNewValueBeforeThePutCompletes()
    {
        put(1, KEY, 2, 0, 100);
        get(2, KEY, 2, 10, 20);
        get(3, KEY, 2, 30, 40);

        assertLinearizable();
    }

    @Test
    void sequentialReadsSeeingNewThenOldValueDuringOnePutAreNotLinearizable()
    {
        put(1, KEY, 1, 0, 100);
        get(2, KEY, 1, 10, 20);
        get(3, KEY, ABSENT, 30, 40);

        assertViolationOn(KEY);
    }

    @Test
    void sequentialReadsSeeingOldThenNewValueDuringOnePutAreLinearizable()
    {
        put(1, KEY, 1, 0, 100);
        get(2, KEY, ABSENT, 10, 20);
        get(3, KEY, 1, 30, 40);

        assertLinearizable();
    }

    @Test
    void overlappingReadsMaySeeNewThenOldValue()
    {
        put(1, KEY, 1, 0, 100);
        get(2, KEY, 1, 10, 30);
        get(3, KEY, ABSENT, 20, 40);

        assertLinearizable();
    }

    @Test
    void operationsThatMeetAtAnInstantAreConcurrent()
    {
        put(1, KEY, 1, 0, 10);
        get(2, KEY, ABSENT, 10, 20);

        assertLinearizable();
    }

    @Test
    void operationThatStartsAfterAnotherEndsMustSeeIt()
    {
        put(1, KEY, 1, 0, 10);
        get(2, KEY, ABSENT, 11, 20);

        assertViolationOn(KEY);
    }

    @Test
    void twoConcurrentCasFromAbsentCannotBothSucceed()
    {
        cas(1, KEY, ABSENT, 10, true, 0, 20);
        cas(2, KEY, ABSENT, 11, true, 5, 25);

        assertViolationOn(KEY);
    }

    @Test
    void twoConcurrentCasFromAbsentMayHaveOneWinner()
    {
        cas(1, KEY, ABSENT, 10, true, 0, 20);
        cas(2, KEY, ABSENT, 11, false, 5, 25);
        get(3, KEY, 10, 30, 40);

        assertLinearizable();
    }

    @Test
    void readAfterCasMustSeeTheWinnersValue()
    {
        cas(1, KEY, ABSENT, 10, true, 0, 20);
        cas(2, KEY, ABSENT, 11, false, 5, 25);
        get(3, KEY, 11, 30, 40);

        assertViolationOn(KEY);
    }

    @Test
    void casThatFailsWhenNothingCouldHaveChangedTheValueIsNotLinearizable()
    {
        put(1, KEY, 3, 0, 10);
        cas(2, KEY, 3, 4, false, 20, 30);

        assertViolationOn(KEY);
    }

    @Test
    void casChainsEachSwappingTheLastValueAreLinearizable()
    {
        put(1, KEY, 1, 0, 10);
        cas(1, KEY, 1, 2, true, 20, 30);
        cas(2, KEY, 2, 3, true, 25, 45);
        cas(3, KEY, 1, 9, false, 26, 50);
        get(1, KEY, 3, 60, 70);

        assertLinearizable();
    }

    @Test
    void getReturningValueNeverWrittenIsNotLinearizable()
    {
        put(1, KEY, 1, 0, 10);
        put(2, KEY, 2, 5, 15);
        get(3, KEY, 99, 0, 20);

        final LinearizabilityChecker.Result result = assertViolationOn(KEY);
        assertTrue(result.explanation().contains("99"), result.explanation());
    }

    @Test
    void casThatSwappedFromValueNeverWrittenIsNotLinearizable()
    {
        put(1, KEY, 1, 0, 10);
        cas(2, KEY, 5, 6, true, 20, 30);

        assertViolationOn(KEY);
    }

    @Test
    void pendingPutWhoseValueIsReadIsLinearizable()
    {
        put(1, KEY, 1, 0, 10);
        pendingPut(2, KEY, 2, 20);
        get(3, KEY, 2, 1_000, 1_010);

        assertLinearizable();
    }

    @Test
    void pendingPutThatNobodyReadsIsLinearizable()
    {
        put(1, KEY, 1, 0, 10);
        pendingPut(2, KEY, 2, 20);
        get(3, KEY, 1, 1_000, 1_010);

        assertLinearizable();
    }

    @Test
    void readOfPendingPutFollowedByReadOfOlderValueIsNotLinearizable()
    {
        put(1, KEY, 1, 0, 10);
        pendingPut(2, KEY, 2, 20);
        get(3, KEY, 2, 30, 40);
        get(3, KEY, 1, 50, 60);

        assertViolationOn(KEY);
    }

    @Test
    void pendingPutCannotTakeEffectBeforeItWasInvoked()
    {
        get(3, KEY, 2, 0, 10);
        pendingPut(2, KEY, 2, 20);

        assertViolationOn(KEY);
    }

    @Test
    void pendingCasMayHaveSwapped()
    {
        put(1, KEY, 1, 0, 10);
        pendingCas(2, KEY, 1, 2, 20);
        get(3, KEY, 2, 30, 40);

        assertLinearizable();
    }

    @Test
    void pendingCasCannotSwapFromAValueOverwrittenBeforeItWasInvoked()
    {
        put(1, KEY, 1, 0, 10);
        put(1, KEY, 3, 20, 30);
        pendingCas(2, KEY, 1, 2, 40);
        get(3, KEY, 2, 50, 60);

        assertViolationOn(KEY);
    }

    @Test
    void pendingGetConstrainsNothing()
    {
        put(1, KEY, 1, 0, 10);
        history.invokeGet(2, KEY, 5);
        get(3, KEY, 1, 20, 30);

        assertLinearizable();
    }

    @Test
    void keysAreCheckedIndependently()
    {
        // As one register this would be a stale read; as two it is two trivially correct histories.
        put(1, 1, 1, 0, 10);
        put(2, 2, 2, 20, 30);
        get(3, 1, 1, 40, 50);
        get(3, 2, 2, 60, 70);

        assertLinearizable();
    }

    @Test
    void violationIsReportedOnTheKeyWhereItHappened()
    {
        put(1, 1, 10, 0, 10);
        put(1, 2, 20, 0, 10);
        put(1, 3, 30, 0, 10);
        put(2, 2, 21, 20, 30);
        get(3, 1, 10, 40, 50);
        get(3, 2, 20, 40, 50);
        get(3, 3, 30, 40, 50);

        assertViolationOn(2);
    }

    @Test
    void explanationNamesTheOperationThatCannotTakeEffectAndTheOneItWouldStrand()
    {
        final int first = put(1, KEY, 1, 0, 10);
        final int second = put(2, KEY, 2, 20, 30);
        final int staleRead = get(3, KEY, 1, 40, 50);

        final String explanation = assertViolationOn(KEY).explanation();

        assertTrue(explanation.contains("> #1 client 2 PUT(2) [20, 30]"), explanation);
        assertTrue(explanation.contains("! #2 client 3 GET() -> 1 [40, 50]"), explanation);
        assertTrue(explanation.contains("< " + history.operation(first)), explanation);
        assertTrue(
            explanation.contains("overwriting 1 would strand " + history.operation(staleRead) + ", as nothing left"),
            explanation);
        assertEquals(1, second);
    }

    @Test
    void explanationWindowHoldsEveryOperationOfASmallViolation()
    {
        put(1, KEY, 1, 0, 100);
        get(2, KEY, 1, 10, 20);
        get(3, KEY, ABSENT, 30, 40);

        final String explanation = assertViolationOn(KEY).explanation();

        assertTrue(explanation.contains("#0 client 1 PUT(1) [0, 100]"), explanation);
        assertTrue(explanation.contains("#1 client 2 GET() -> 1 [10, 20]"), explanation);
        assertTrue(explanation.contains("#2 client 3 GET() -> ABSENT [30, 40]"), explanation);
        assertTrue(explanation.contains("cannot take effect"), explanation);
    }

    @Test
    void historyNeedingMoreStatesThanTheBudgetIsUnknownNotOk()
    {
        concurrentPairsThenImpossibleRead(KEY, 14);

        final LinearizabilityChecker.Result result = LinearizabilityChecker.check(history, 1_000);

        assertTrue(result.unknown(), result.toString());
        assertFalse(result.ok());
        assertFalse(result.violation());
        assertEquals(KEY, result.key());
    }

    @Test
    void sameHistoryWithEnoughBudgetIsDecided()
    {
        concurrentPairsThenImpossibleRead(KEY, 14);

        final LinearizabilityChecker.Result result = LinearizabilityChecker.check(history);

        assertTrue(result.violation(), result.toString());
        assertTrue(result.statesExplored() > 1_000, result.toString());
    }

    @Test
    void violationOnOneKeyOutranksExhaustedBudgetOnAnother()
    {
        concurrentPairsThenImpossibleRead(1, 14);
        put(1, 2, 1, 0, 10);
        get(2, 2, ABSENT, 20, 30);

        final LinearizabilityChecker.Result result = LinearizabilityChecker.check(history, 1_000);

        assertTrue(result.violation(), result.toString());
        assertEquals(2, result.key());
    }

    /**
     * Concurrent pairs of a write and a read of its value, in any order, then a write and a read of the first pair's
     * value. Only after a whole order of the pairs is built does it show that the first pair's value cannot survive
     * the late write, so the search tries about 2^pairs subsets of pairs before it can say no.
     */
    private void concurrentPairsThenImpossibleRead(final long key, final int pairs)
    {
        for (int i = 1; i <= pairs; i++)
        {
            put(i, key, i, i, 100 + i);
            get(pairs + i, key, i, i, 100 + i);
        }
        put(0, key, 999, 150, 160);
        get(0, key, 1, 200, 210);
    }

    private void assertLinearizable()
    {
        final LinearizabilityChecker.Result result = LinearizabilityChecker.check(history);
        assertTrue(result.ok(), () -> result + "\n" + history);
    }

    private LinearizabilityChecker.Result assertViolationOn(final long key)
    {
        final LinearizabilityChecker.Result result = LinearizabilityChecker.check(history);
        assertTrue(result.violation(), () -> result + "\n" + history);
        assertEquals(key, result.key(), result::toString);
        return result;
    }

    private int put(final int client, final long key, final long value, final long invoke, final long complete)
    {
        final int op = history.invokePut(client, key, value, invoke);
        history.complete(op, 0, complete);
        return op;
    }

    private int get(final int client, final long key, final long output, final long invoke, final long complete)
    {
        final int op = history.invokeGet(client, key, invoke);
        history.complete(op, output, complete);
        return op;
    }

    private int cas(
        final int client,
        final long key,
        final long expected,
        final long newValue,
        final boolean swapped,
        final long invoke,
        final long complete)
    {
        final int op = history.invokeCas(client, key, expected, newValue, invoke);
        history.complete(op, swapped ? 1 : 0, complete);
        return op;
    }

    private void pendingPut(final int client, final long key, final long value, final long invoke)
    {
        history.invokePut(client, key, value, invoke);
    }

    private void pendingCas(
        final int client, final long key, final long expected, final long newValue, final long invoke)
    {
        history.invokeCas(client, key, expected, newValue, invoke);
    }
}
