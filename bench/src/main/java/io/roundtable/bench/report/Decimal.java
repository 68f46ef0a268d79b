package io.roundtable.bench.report;

import java.util.Locale;

/**
 * Number formatting for the CSV and the page: {@link Locale#ROOT} so a report written on a German desktop still has
 * decimal points, and an empty cell where a figure is unknown rather than the word NaN.
 */
final class Decimal
{
    private Decimal()
    {
    }

    /**
     * @param value    the figure, NaN if unknown.
     * @param decimals digits after the point.
     * @return the figure, or the empty string for NaN and infinities.
     */
    static String format(final double value, final int decimals)
    {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%." + decimals + "f", value) : "";
    }
}
