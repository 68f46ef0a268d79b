package io.roundtable.command;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KeySetTest
{
    @Test
    void matchesAMapAcrossSizesDuplicatesAndReuse()
    {
        final SplittableRandom random = new SplittableRandom(7);
        final KeySet keys = new KeySet(2);
        for (int round = 0; round < 500; round++)
        {
            keys.clear();
            final Map<Long, Boolean> expected = new LinkedHashMap<>();
            final int adds = random.nextInt(0, round % 3 == 0 ? 2000 : 40);
            final long range = 1 + random.nextInt(1, 3 * adds + 2);
            for (int i = 0; i < adds; i++)
            {
                final long key = random.nextLong(range) * (random.nextBoolean() ? 1 : -0x1_0000_0001L);
                final boolean write = random.nextInt(4) == 0;
                keys.add(key, write);
                expected.merge(key, write, Boolean::logicalOr);
            }
            assertEquals(expected.size(), keys.count(), "round " + round);
            int i = 0;
            for (final Map.Entry<Long, Boolean> entry : expected.entrySet())
            {
                assertEquals(entry.getKey(), keys.key(i), "first-seen order, round " + round);
                assertEquals(entry.getValue(), keys.isWrite(i), "write flag of " + entry.getKey());
                i++;
            }
        }
    }
}
