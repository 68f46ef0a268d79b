package io.roundtable.sim.check;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinearizabilityHistoryTest
{
    private final History history = new History();

    @Test
    void invokedOperationIsPendingUntilCompleted()
    {
        final int op = history.invokeCas(4, 9, 1, 2, 100);

        final Operation pending = history.operation(op);
        assertFalse(pending.completed());
        assertEquals(Long.MAX_VALUE, pending.completeTimeNs());

        history.complete(op, 1, 150);

        final Operation completed = history.operation(op);
        assertTrue(completed.completed());
        assertEquals(new Operation(op, 4, OperationKind.CAS, 9, 1, 2, 1, 100, 150, true), completed);
    }

    @Test
    void operationsAreIndexedInInvocationOrder()
    {
        assertEquals(0, history.invokePut(1, 1, 1, 0));
        assertEquals(1, history.invokeGet(2, 1, 0));
        assertEquals(2, history.size());
        assertEquals(2, history.operations().size());
    }

    @Test
    void completingTwiceIsRejected()
    {
        final int op = history.invokeGet(1, 1, 0);
        history.complete(op, History.ABSENT, 10);

        assertThrows(IllegalStateException.class, () -> history.complete(op, History.ABSENT, 20));
    }

    @Test
    void completingBeforeInvocationIsRejected()
    {
        final int op = history.invokeGet(1, 1, 100);

        assertThrows(IllegalArgumentException.class, () -> history.complete(op, History.ABSENT, 99));
    }

    @Test
    void casOutputMustSaySwappedOrNot()
    {
        final int op = history.invokeCas(1, 1, History.ABSENT, 5, 0);

        assertThrows(IllegalArgumentException.class, () -> history.complete(op, 2, 10));
    }

    @Test
    void completingUnknownOperationIsRejected()
    {
        assertThrows(IllegalArgumentException.class, () -> history.complete(0, 0, 10));
    }
}
