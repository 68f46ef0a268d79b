package io.roundtable.statemachine;

import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyValueStateMachineTest
{
    private final KeyValueStateMachine store = new KeyValueStateMachine();
    private final KeyValueCommands kv = new KeyValueCommands();
    private final ExpandableArrayBuffer command = new ExpandableArrayBuffer(64);
    private final ExpandableArrayBuffer result = new ExpandableArrayBuffer(64);

    private void apply(final int length)
    {
        store.apply(1, 1, command, 0, length, result, 0);
    }

    @Test
    void getOfAnAbsentKeyFindsNothingAndPutThenGetReturnsTheValue()
    {
        apply(kv.get(command, 0, 5));
        assertFalse(kv.resultFound(result, 0));

        apply(kv.put(command, 0, 5, new byte[] {1, 2, 3}));
        apply(kv.get(command, 0, 5));
        assertTrue(kv.resultFound(result, 0));
        final byte[] value = new byte[3];
        assertEquals(3, kv.resultValue(result, 0, value));
        assertArrayEquals(new byte[] {1, 2, 3}, value);
    }

    @Test
    void casSwapsOnlyWhenTheExpectationHolds()
    {
        apply(kv.cas(command, 0, 9, new byte[0], new byte[] {4}));
        assertTrue(kv.resultFound(result, 0), "CAS from absent succeeds on an absent key");
        apply(kv.cas(command, 0, 9, new byte[0], new byte[] {5}));
        assertFalse(kv.resultFound(result, 0), "CAS from absent fails once the key has a value");
        apply(kv.cas(command, 0, 9, new byte[] {7}, new byte[] {5}));
        assertFalse(kv.resultFound(result, 0), "CAS with a wrong expectation fails");
        apply(kv.cas(command, 0, 9, new byte[] {4}, new byte[] {6, 6}));
        assertTrue(kv.resultFound(result, 0));

        apply(kv.get(command, 0, 9));
        final byte[] value = new byte[2];
        kv.resultValue(result, 0, value);
        assertArrayEquals(new byte[] {6, 6}, value);
    }
}
