package io.roundtable.journal;

import org.agrona.MutableDirectBuffer;

/** Deterministic record contents shared by the journal tests and the child JVM that is killed mid-flight. */
final class ChronicleJournalRecords
{
    private ChronicleJournalRecords()
    {
    }

    /** Length of record {@code i}: includes 0, 1 and 64 KiB, otherwise pseudo-random in [0, 300). */
    static int length(final int i)
    {
        switch (i % 97)
        {
            case 0:
                return 0;
            case 1:
                return 1;
            case 2:
                return 64 * 1024;
            default:
                return (int)((mix(i) >>> 33) % 300);
        }
    }

    static byte byteAt(final int record, final int position)
    {
        return (byte)(mix(record * 131_071L + position) >>> 56);
    }

    static int fill(final MutableDirectBuffer buffer, final int offset, final int record)
    {
        final int length = length(record);
        for (int p = 0; p < length; p++)
        {
            buffer.putByte(offset + p, byteAt(record, p));
        }
        return length;
    }

    private static long mix(final long x)
    {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
