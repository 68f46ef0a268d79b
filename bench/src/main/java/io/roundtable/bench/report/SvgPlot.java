package io.roundtable.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart drawn as inline SVG: frame, grid, tick labels, axis titles, one polyline per series and a legend at
 * the right. The chart types ({@link PercentileChart}, {@link ThroughputChart}, {@link FastPathChart}) choose the
 * axes and the points; this draws them, so every chart in a report looks alike and the page needs no script.
 */
final class SvgPlot
{
    private static final int WIDTH = 980;
    private static final int LEFT = 80;
    private static final int TOP = 44;
    private static final int PLOT_WIDTH = 600;
    private static final int PLOT_HEIGHT = 340;
    private static final int BOTTOM_SPACE = 62;
    private static final int LEGEND_LEFT = LEFT + PLOT_WIDTH + 28;
    private static final int LEGEND_ROW = 18;
    private static final int MARKER_RADIUS = 3;

    private record Series(String label, double[] xs, double[] ys, int count, boolean markers)
    {
    }

    private final String title;
    private final Axis xAxis;
    private final Axis yAxis;
    private final List<Series> series = new ArrayList<>();
    private String referenceLabel;
    private double referenceY = Double.NaN;

    SvgPlot(final String title, final Axis xAxis, final Axis yAxis)
    {
        this.title = title;
        this.xAxis = xAxis;
        this.yAxis = yAxis;
    }

    /**
     * Adds a line; its colour follows from the order series are added.
     *
     * @param label   legend text.
     * @param xs      x values in data units (the arrays are kept, not copied).
     * @param ys      y values in data units.
     * @param count   how many of the leading points to draw.
     * @param markers whether to mark each point with a dot too (for sparse data, where the points are the data and
     *                the line only guides the eye); a series of one point is always marked.
     */
    SvgPlot line(final String label, final double[] xs, final double[] ys, final int count, final boolean markers)
    {
        series.add(new Series(label, xs, ys, count, markers || 1 == count));
        return this;
    }

    /**
     * Draws a horizontal dashed line across the plot, e.g. the latency a site could have at best, so a reader sees
     * each series against it without reading numbers off the axis.
     *
     * @param label what the line is, written at its right end.
     * @param y     where, in y data units; NaN draws nothing.
     */
    SvgPlot reference(final String label, final double y)
    {
        referenceLabel = label;
        referenceY = y;
        return this;
    }

    String render()
    {
        final int height = Math.max(TOP + PLOT_HEIGHT + BOTTOM_SPACE, TOP + series.size() * LEGEND_ROW + 20);
        final StringBuilder out = new StringBuilder(8192);
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"").append(WIDTH)
            .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
            .append(height).append("\" role=\"img\" aria-label=\"").append(Markup.escape(title)).append("\">\n")
            .append("<title>").append(Markup.escape(title)).append("</title>\n")
            .append("<text class=\"chart-title\" x=\"").append(LEFT).append("\" y=\"24\">")
            .append(Markup.escape(title)).append("</text>\n");

        xTicks(out);
        yTicks(out);
        out.append("<rect class=\"frame\" x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"")
            .append(PLOT_WIDTH).append("\" height=\"").append(PLOT_HEIGHT).append("\"/>\n");
        axisTitles(out);
        referenceLine(out);

        for (int i = 0; i < series.size(); i++)
        {
            seriesLine(out, series.get(i), i);
            legendEntry(out, series.get(i), i);
        }

        return out.append("</svg>\n").toString();
    }

    private void xTicks(final StringBuilder out)
    {
        for (final Axis.Tick tick : xAxis.ticks())
        {
            final String x = coordinate(x(tick.value()));
            out.append("<line class=\"grid\" x1=\"").append(x).append("\" y1=\"").append(TOP).append("\" x2=\"")
                .append(x).append("\" y2=\"").append(TOP + PLOT_HEIGHT + 5).append("\"/>")
                .append("<text class=\"tick\" text-anchor=\"middle\" x=\"").append(x).append("\" y=\"")
                .append(TOP + PLOT_HEIGHT + 20).append("\">").append(Markup.escape(tick.label())).append("</text>\n");
        }
    }

    private void yTicks(final StringBuilder out)
    {
        for (final Axis.Tick tick : yAxis.ticks())
        {
            final String y = coordinate(y(tick.value()));
            out.append("<line class=\"grid\" x1=\"").append(LEFT - 5).append("\" y1=\"").append(y)
                .append("\" x2=\"").append(LEFT + PLOT_WIDTH).append("\" y2=\"").append(y).append("\"/>")
                .append("<text class=\"tick\" text-anchor=\"end\" x=\"").append(LEFT - 8).append("\" y=\"")
                .append(y).append("\" dy=\"4\">").append(Markup.escape(tick.label())).append("</text>\n");
        }
    }

    private void axisTitles(final StringBuilder out)
    {
        final int yTitleX = 22;
        final int yTitleY = TOP + PLOT_HEIGHT / 2;
        out.append("<text class=\"axis-title\" text-anchor=\"middle\" x=\"").append(LEFT + PLOT_WIDTH / 2)
            .append("\" y=\"").append(TOP + PLOT_HEIGHT + 44).append("\">").append(Markup.escape(xAxis.title()))
            .append("</text>\n")
            .append("<text class=\"axis-title\" text-anchor=\"middle\" x=\"").append(yTitleX).append("\" y=\"")
            .append(yTitleY).append("\" transform=\"rotate(-90 ").append(yTitleX).append(' ').append(yTitleY)
            .append(")\">").append(Markup.escape(yAxis.title())).append("</text>\n");
    }

    private void referenceLine(final StringBuilder out)
    {
        if (Double.isFinite(referenceY))
        {
            final String y = coordinate(y(referenceY));
            out.append("<line class=\"reference\" stroke-dasharray=\"6 4\" x1=\"").append(LEFT).append("\" y1=\"")
                .append(y).append("\" x2=\"").append(LEFT + PLOT_WIDTH).append("\" y2=\"").append(y).append("\"/>")
                .append("<text class=\"reference-label\" text-anchor=\"end\" x=\"").append(LEFT + PLOT_WIDTH - 4)
                .append("\" y=\"").append(y).append("\" dy=\"-4\">").append(Markup.escape(referenceLabel))
                .append("</text>\n");
        }
    }

    private void seriesLine(final StringBuilder out, final Series line, final int index)
    {
        out.append("<polyline class=\"series\" fill=\"none\" stroke-width=\"2\" stroke=\"")
            .append(Palette.colour(index)).append('"');
        dash(out, index);
        out.append(" points=\"");
        boolean first = true;
        for (int i = 0; i < line.count(); i++)
        {
            if (!finite(line, i))
            {
                continue; // an unknown figure (an empty bucket) is left out, not drawn at NaN
            }
            out.append(first ? "" : " ").append(coordinate(x(line.xs()[i]))).append(',')
                .append(coordinate(y(line.ys()[i])));
            first = false;
        }
        out.append("\"><title>").append(Markup.escape(line.label())).append("</title></polyline>\n");

        if (line.markers())
        {
            for (int i = 0; i < line.count(); i++)
            {
                if (!finite(line, i))
                {
                    continue;
                }
                out.append("<circle class=\"marker\" r=\"").append(MARKER_RADIUS).append("\" fill=\"")
                    .append(Palette.colour(index)).append("\" cx=\"").append(coordinate(x(line.xs()[i])))
                    .append("\" cy=\"").append(coordinate(y(line.ys()[i]))).append("\"/>\n");
            }
        }
    }

    private static boolean finite(final Series line, final int i)
    {
        return Double.isFinite(line.xs()[i]) && Double.isFinite(line.ys()[i]);
    }

    private void legendEntry(final StringBuilder out, final Series line, final int index)
    {
        final int y = TOP + 8 + index * LEGEND_ROW;
        out.append("<line class=\"legend-line\" stroke-width=\"3\" stroke=\"").append(Palette.colour(index))
            .append('"');
        dash(out, index);
        out.append(" x1=\"").append(LEGEND_LEFT).append("\" y1=\"").append(y).append("\" x2=\"")
            .append(LEGEND_LEFT + 24).append("\" y2=\"").append(y).append("\"/>")
            .append("<text class=\"legend\" x=\"").append(LEGEND_LEFT + 32).append("\" y=\"").append(y)
            .append("\" dy=\"4\">").append(Markup.escape(line.label())).append("</text>\n");
    }

    private static void dash(final StringBuilder out, final int index)
    {
        final String dash = Palette.dash(index);
        if (!dash.isEmpty())
        {
            out.append(" stroke-dasharray=\"").append(dash).append('"');
        }
    }

    private double x(final double value)
    {
        return LEFT + xAxis.fraction(value) * PLOT_WIDTH;
    }

    private double y(final double value)
    {
        return TOP + (1 - yAxis.fraction(value)) * PLOT_HEIGHT;
    }

    private static String coordinate(final double pixels)
    {
        return String.format(Locale.ROOT, "%.1f", pixels);
    }
}
