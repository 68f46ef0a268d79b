package io.roundtable.bench.report;

import java.util.Locale;

/**
 * The few JSON literals the summary needs, written by hand so the bench jar carries no JSON library.
 */
final class JsonText
{
    private JsonText()
    {
    }

    /**
     * @param text any text, null allowed.
     * @return a JSON string literal, or {@code null}; control characters, quotes and backslashes are escaped, and so
     * are U+2028/U+2029, which JavaScript before ES2019 rejects inside string literals.
     */
    static String string(final String text)
    {
        if (null == text)
        {
            return "null";
        }

        final StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default ->
                {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029')
                    {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
                    }
                    else
                    {
                        out.append(c);
                    }
                }
            }
        }

        return out.append('"').toString();
    }

    /**
     * @return the number, or {@code null} for NaN and infinities, which JSON cannot express.
     */
    static String number(final double value)
    {
        return Double.isFinite(value) ? Double.toString(value) : "null";
    }
}
