package io.roundtable.bench.report;

/**
 * Escapes text for HTML and SVG. Every string that reaches the page goes through here, labels and descriptions
 * included: they come from presets and command lines, and a {@code <} in one must not end the page's structure.
 */
final class Markup
{
    private Markup()
    {
    }

    /**
     * @param text any text, null allowed.
     * @return the text safe in element content and in quoted attribute values; characters XML 1.0 forbids (control
     * characters other than tab, line feed and carriage return) become U+FFFD so the inline SVG stays well-formed.
     */
    static String escape(final String text)
    {
        if (null == text)
        {
            return "";
        }

        final StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                case '\t', '\n', '\r' -> out.append(c);
                default -> out.append(c < 0x20 || c == 0xFFFE || c == 0xFFFF ? '\uFFFD' : c);
            }
        }

        return out.toString();
    }
}
