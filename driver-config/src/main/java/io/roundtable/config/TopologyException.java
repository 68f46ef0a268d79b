package io.roundtable.config;

import io.aeron.exceptions.ConfigurationException;

/**
 * A cluster topology that cannot be used, with a message that says where it went wrong and how to fix it, in the
 * form compilers use so that editors and terminals can jump to the line:
 * {@code cluster.properties:3: unknown key 'replcas'; known keys: ...}.
 * <p>
 * Extends Aeron's {@link ConfigurationException} so that a caller which already handles bad driver settings handles
 * a bad topology too. Aeron prefixes every message with its category ({@code "ERROR - "}); {@link #getMessage()}
 * leaves that prefix out, or the message could not start with the source name.
 */
public class TopologyException extends ConfigurationException
{
    /** {@link #lineNumber()} of an error that belongs to no single line, e.g. a missing key. */
    public static final int NO_LINE = 0;

    private final String sourceName;
    private final int lineNumber;
    private final String detail;
    private final String message;

    /** An error with no source, e.g. from {@link ProtocolName#fromName(String)} or a factory method. */
    public TopologyException(final String detail)
    {
        this(null, NO_LINE, detail);
    }

    /**
     * @param sourceName file path or {@code "<string>"}, or null when the topology did not come from text.
     * @param lineNumber 1-based line the error is on, or {@link #NO_LINE}.
     * @param detail     what is wrong and, where it helps, how to fix it.
     */
    public TopologyException(final String sourceName, final int lineNumber, final String detail)
    {
        super(detail);
        this.sourceName = sourceName;
        this.lineNumber = lineNumber;
        this.detail = detail;
        this.message = location(sourceName, lineNumber) + detail;
    }

    /** As {@link #TopologyException(String, int, String)}, keeping the exception that caused it (e.g. I/O). */
    public TopologyException(final String sourceName, final int lineNumber, final String detail, final Throwable cause)
    {
        this(sourceName, lineNumber, detail);
        initCause(cause);
    }

    /** {@code source:line: detail}, {@code source: detail} or just {@code detail}, without Aeron's category. */
    public String getMessage()
    {
        return message;
    }

    /** File path, {@code "<string>"}, or null when the topology did not come from text. */
    public String sourceName()
    {
        return sourceName;
    }

    /** 1-based line number, or {@link #NO_LINE}. */
    public int lineNumber()
    {
        return lineNumber;
    }

    /** The message without source and line. */
    public String detail()
    {
        return detail;
    }

    /** The text of another configuration error without Aeron's {@code "ERROR - "} prefix, to re-throw it located. */
    static String detailOf(final ConfigurationException ex)
    {
        if (ex instanceof TopologyException)
        {
            return ((TopologyException)ex).detail;
        }

        final String text = ex.getMessage();
        final String prefix = ex.category().name() + " - ";

        return null != text && text.startsWith(prefix) ? text.substring(prefix.length()) : text;
    }

    private static String location(final String sourceName, final int lineNumber)
    {
        if (null == sourceName)
        {
            return "";
        }

        return NO_LINE == lineNumber ? sourceName + ": " : sourceName + ":" + lineNumber + ": ";
    }
}
