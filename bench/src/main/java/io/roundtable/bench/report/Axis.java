package io.roundtable.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One chart axis: the range it spans in data units, where its ticks go and what they say.
 *
 * @param title axis title, with its unit.
 * @param min   data value at the axis origin.
 * @param max   data value at the far end; greater than {@code min}.
 * @param ticks tick marks, each a data value within [min, max] and its label.
 */
record Axis(String title, double min, double max, List<Tick> ticks)
{
    /**
     * A tick mark.
     *
     * @param value where, in data units.
     * @param label what it says.
     */
    record Tick(double value, String label)
    {
    }

    /** About how many intervals a linear axis is cut into. */
    private static final int TARGET_INTERVALS = 5;

    /**
     * @param value a data value.
     * @return where it falls along the axis, 0 at the origin and 1 at the far end, clamped to that range.
     */
    double fraction(final double value)
    {
        final double fraction = (value - min) / (max - min);
        return Math.max(0, Math.min(1, fraction));
    }

    /**
     * A linear axis from zero to at least {@code dataMax}, ending on a round tick (1, 2 or 5 times a power of ten
     * apart) so the tick labels are numbers a reader can interpolate between.
     *
     * @param title   axis title.
     * @param dataMax the largest value to show; a non-positive or unknown one gives the axis 0–1.
     */
    static Axis linearFromZero(final String title, final double dataMax)
    {
        final double top = Double.isFinite(dataMax) && dataMax > 0 ? dataMax : 1;
        final double step = niceStep(top / TARGET_INTERVALS);
        final int intervals = (int)Math.ceil(top / step - 1e-9);
        final List<Tick> ticks = new ArrayList<>(intervals + 1);
        for (int i = 0; i <= intervals; i++)
        {
            final double value = i * step;
            ticks.add(new Tick(value, label(value, step)));
        }

        return new Axis(title, 0, intervals * step, ticks);
    }

    static double niceStep(final double rough)
    {
        final double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        final double normalised = rough / magnitude;
        final double nice = normalised <= 1 ? 1 : normalised <= 2 ? 2 : normalised <= 5 ? 5 : 10;

        return nice * magnitude;
    }

    /**
     * Labels with as many decimals as the step needs, and thousands and millions abbreviated so that commands/s
     * ticks stay short.
     */
    static String label(final double value, final double step)
    {
        if (0 == value)
        {
            return "0";
        }
        if (step >= 100_000)
        {
            return trimmed(value / 1e6, step / 1e6) + "M";
        }
        if (step >= 1000)
        {
            return trimmed(value / 1e3, step / 1e3) + "k";
        }

        return trimmed(value, step);
    }

    private static String trimmed(final double value, final double step)
    {
        final int decimals = step >= 1 ? 0 : (int)Math.ceil(-Math.log10(step) - 1e-9);
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
