package io.roundtable.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict recursive-descent JSON parser (RFC 8259) for the tests, since the bench module carries no JSON library:
 * objects become maps, arrays lists, numbers doubles, null {@link #NULL}. Anything malformed (a trailing comma, an
 * unescaped control character, a bare NaN, text after the value) throws.
 */
final class StrictJson
{
    static final Object NULL = new Object()
    {
        public String toString()
        {
            return "null";
        }
    };

    private final String text;
    private int position;

    private StrictJson(final String text)
    {
        this.text = text;
    }

    static Object parse(final String text)
    {
        final StrictJson parser = new StrictJson(text);
        final Object value = parser.value();
        parser.whitespace();
        if (parser.position != text.length())
        {
            throw parser.error("text after the value");
        }

        return value;
    }

    private Object value()
    {
        whitespace();
        if (position >= text.length())
        {
            throw error("unexpected end");
        }

        final char c = text.charAt(position);
        return switch (c)
        {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", NULL);
            default -> number();
        };
    }

    private Map<String, Object> object()
    {
        final Map<String, Object> members = new LinkedHashMap<>();
        position++;
        whitespace();
        if (peek('}'))
        {
            position++;
            return members;
        }
        while (true)
        {
            whitespace();
            if (!peek('"'))
            {
                throw error("expected a member name");
            }
            final String name = string();
            whitespace();
            expect(':');
            if (null != members.put(name, value()))
            {
                throw error("duplicate member " + name);
            }
            whitespace();
            if (peek(','))
            {
                position++;
                continue;
            }
            expect('}');
            return members;
        }
    }

    private List<Object> array()
    {
        final List<Object> elements = new ArrayList<>();
        position++;
        whitespace();
        if (peek(']'))
        {
            position++;
            return elements;
        }
        while (true)
        {
            elements.add(value());
            whitespace();
            if (peek(','))
            {
                position++;
                continue;
            }
            expect(']');
            return elements;
        }
    }

    private String string()
    {
        final StringBuilder out = new StringBuilder();
        position++;
        while (true)
        {
            if (position >= text.length())
            {
                throw error("unterminated string");
            }
            final char c = text.charAt(position++);
            if (c == '"')
            {
                return out.toString();
            }
            if (c < 0x20)
            {
                throw error("unescaped control character");
            }
            if (c != '\\')
            {
                out.append(c);
                continue;
            }
            final char escape = position < text.length() ? text.charAt(position++) : '?';
            switch (escape)
            {
                case '"', '\\', '/' -> out.append(escape);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' ->
                {
                    final boolean fourHexDigits = position + 4 <= text.length() &&
                        text.substring(position, position + 4).matches("[0-9a-fA-F]{4}");
                    if (!fourHexDigits)
                    {
                        throw error("bad \\u escape");
                    }
                    out.append((char)Integer.parseInt(text.substring(position, position + 4), 16));
                    position += 4;
                }
                default -> throw error("bad escape \\" + escape);
            }
        }
    }

    private Double number()
    {
        final int start = position;
        if (peek('-'))
        {
            position++;
        }
        if (peek('0'))
        {
            position++;
        }
        else if (!digits())
        {
            throw error("expected a value");
        }
        if (peek('.'))
        {
            position++;
            if (!digits())
            {
                throw error("expected digits after the point");
            }
        }
        if (peek('e') || peek('E'))
        {
            position++;
            if (peek('+') || peek('-'))
            {
                position++;
            }
            if (!digits())
            {
                throw error("expected exponent digits");
            }
        }

        return Double.parseDouble(text.substring(start, position));
    }

    private boolean digits()
    {
        final int start = position;
        while (position < text.length() && Character.isDigit(text.charAt(position)) && text.charAt(position) < 128)
        {
            position++;
        }

        return position > start;
    }

    private Object literal(final String word, final Object value)
    {
        if (!text.startsWith(word, position))
        {
            throw error("expected " + word);
        }
        position += word.length();

        return value;
    }

    private void whitespace()
    {
        while (position < text.length() && " \t\n\r".indexOf(text.charAt(position)) >= 0)
        {
            position++;
        }
    }

    private boolean peek(final char c)
    {
        return position < text.length() && text.charAt(position) == c;
    }

    private void expect(final char c)
    {
        if (!peek(c))
        {
            throw error("expected '" + c + "'");
        }
        position++;
    }

    private IllegalArgumentException error(final String problem)
    {
        return new IllegalArgumentException(problem + " at offset " + position);
    }
}
