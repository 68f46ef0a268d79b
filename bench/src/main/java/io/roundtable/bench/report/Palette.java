package io.roundtable.bench.report;

/**
 * Series colours: ten that stay apart from each other for most colour-blind readers (Tableau 10), then the same
 * ten again dashed, then dotted, so up to thirty series in one chart remain distinguishable.
 */
final class Palette
{
    private static final String[] COLOURS = {
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
    private static final String[] DASHES = {"", "8 4", "2 3"};

    private Palette()
    {
    }

    static String colour(final int series)
    {
        return COLOURS[series % COLOURS.length];
    }

    /**
     * @return an SVG {@code stroke-dasharray} value, empty for a solid line.
     */
    static String dash(final int series)
    {
        return DASHES[(series / COLOURS.length) % DASHES.length];
    }
}
