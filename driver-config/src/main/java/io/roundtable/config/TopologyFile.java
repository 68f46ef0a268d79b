package io.roundtable.config;

import io.aeron.exceptions.ConfigurationException;
import io.roundtable.driver.IdleStrategyChoice;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a {@link ClusterTopology} from its text form: one {@code key=value} per line, whitespace around key and value
 * trimmed, blank lines and lines starting with {@code #} ignored. See
 * {@code src/test/resources/topology/three-replicas.properties} for every key with its meaning.
 * <p>
 * Parsed by hand rather than with {@link java.util.Properties}, which forgets line numbers, silently keeps the last of
 * two equal keys and treats a line without '=' as a key with an empty value: a typo must be an error that names its
 * line, not a setting quietly ignored on one replica. Errors come in a fixed order (each line's own errors in line
 * order, then missing keys, faults against replicas, replica ids, endpoint clashes) and only the first is reported.
 */
public final class TopologyFile
{
    /** The source name of text that did not come from a file. */
    public static final String STRING_SOURCE = "<string>";

    static final String KNOWN_KEYS = "protocol, replicas, faults, replica.<id>, replica.<id>.client, journal.dir, " +
        "journal.flush, journal.checkpoint.mb, idle.strategy, phase.timeout.ms, batch.max.commands";

    private static final String REPLICA_PREFIX = "replica.";
    private static final String CLIENT_SUFFIX = ".client";
    private static final int MAX_ID_DIGITS = 9;

    private TopologyFile()
    {
    }

    /**
     * Reads and parses {@code file} as UTF-8; errors name the file as given.
     *
     * @throws TopologyException if the file cannot be read or is not a valid topology.
     */
    public static ClusterTopology parse(final Path file)
    {
        final String text;
        try
        {
            text = Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new TopologyException(
                file.toString(), TopologyException.NO_LINE, "cannot read topology file: " + reason(ex), ex);
        }

        return parse(text, file.toString());
    }

    /**
     * Parses {@code text}; errors start with {@code sourceName}, or {@link #STRING_SOURCE} when it is null.
     *
     * @throws TopologyException if {@code text} is not a valid topology.
     */
    public static ClusterTopology parse(final String text, final String sourceName)
    {
        Objects.requireNonNull(text, "text");
        final TopologyBuilder builder = new TopologyBuilder(null != sourceName ? sourceName : STRING_SOURCE);
        final Map<String, Integer> keyLines = new HashMap<>();

        final String[] lines = text.lines().toArray(String[]::new);
        for (int i = 0; i < lines.length; i++)
        {
            final String line = (0 == i && lines[i].startsWith("\uFEFF") ? lines[i].substring(1) : lines[i]).trim();
            if (!line.isEmpty() && '#' != line.charAt(0))
            {
                parseLine(builder, keyLines, line, i + 1);
            }
        }

        return builder.build();
    }

    private static void parseLine(
        final TopologyBuilder builder, final Map<String, Integer> keyLines, final String line, final int lineNumber)
    {
        final int equals = line.indexOf('=');
        if (equals < 0)
        {
            throw builder.error(lineNumber, "expected key=value, got '" + line + "'");
        }
        final String key = line.substring(0, equals).trim();
        final String value = line.substring(equals + 1).trim();
        if (key.isEmpty())
        {
            throw builder.error(lineNumber, "missing key before '=' in '" + line + "'");
        }

        final int replicaId = key.startsWith(REPLICA_PREFIX) ? replicaId(builder, key, lineNumber) : -1;
        final boolean client = replicaId >= 0 && key.endsWith(CLIENT_SUFFIX);
        final String canonicalKey = replicaId < 0 ? key : REPLICA_PREFIX + replicaId + (client ? CLIENT_SUFFIX : "");

        final Integer previousLine = keyLines.putIfAbsent(canonicalKey, lineNumber);
        if (null != previousLine)
        {
            throw builder.error(lineNumber, canonicalKey + " is defined twice, on lines " + previousLine + " and " +
                lineNumber);
        }

        if (replicaId >= 0)
        {
            if (client)
            {
                builder.client(replicaId, value, lineNumber);
            }
            else
            {
                builder.peer(replicaId, value, lineNumber);
            }
            return;
        }

        try
        {
            parseSetting(builder, key, value, lineNumber);
        }
        catch (final ConfigurationException ex)
        {
            if (ex instanceof TopologyException && null != ((TopologyException)ex).sourceName())
            {
                throw ex; // already located by the builder
            }
            // From a fromName shared with command lines: locate it and name the key.
            throw builder.error(lineNumber, key + ": " + TopologyException.detailOf(ex));
        }
    }

    private static void parseSetting(
        final TopologyBuilder builder, final String key, final String value, final int lineNumber)
    {
        switch (key)
        {
            case "protocol":
                builder.protocol(ProtocolName.fromName(value));
                break;
            case "replicas":
                builder.replicas(wholeNumber(builder, key, value, "3", lineNumber), lineNumber);
                break;
            case "faults":
                builder.faults(wholeNumber(builder, key, value, "1", lineNumber), lineNumber);
                break;
            case "journal.dir":
                builder.journalDirectory(path(builder, key, value, lineNumber));
                break;
            case "journal.flush":
                builder.journalFlush(JournalFlush.fromName(value));
                break;
            case "journal.checkpoint.mb":
                builder.checkpointMb(wholeNumber(builder, key, value, "256", lineNumber), lineNumber);
                break;
            case "idle.strategy":
                builder.idleStrategy(IdleStrategyChoice.fromName(value));
                break;
            case "phase.timeout.ms":
                builder.phaseTimeoutMs(wholeNumber(builder, key, value, "50", lineNumber), lineNumber);
                break;
            case "batch.max.commands":
                builder.maxBatchCommands(wholeNumber(builder, key, value, "256", lineNumber), lineNumber);
                break;
            default:
                throw builder.error(lineNumber, "unknown key '" + key + "'; known keys: " + KNOWN_KEYS);
        }
    }

    /** The id in {@code replica.<id>} or {@code replica.<id>.client}; anything else after the prefix is unknown. */
    private static int replicaId(final TopologyBuilder builder, final String key, final int lineNumber)
    {
        final String rest = key.substring(REPLICA_PREFIX.length());
        final String idText = rest.endsWith(CLIENT_SUFFIX) ?
            rest.substring(0, rest.length() - CLIENT_SUFFIX.length()) : rest;
        if (idText.indexOf('.') >= 0)
        {
            throw builder.error(lineNumber, "unknown key '" + key + "'; known keys: " + KNOWN_KEYS);
        }
        if (idText.isEmpty() || idText.length() > MAX_ID_DIGITS || !idText.chars().allMatch(TopologyFile::isAsciiDigit))
        {
            throw builder.error(
                lineNumber, "replica id in '" + key + "' must be a whole number from 0, e.g. replica.0");
        }

        return Integer.parseInt(idText);
    }

    private static boolean isAsciiDigit(final int c)
    {
        return c >= '0' && c <= '9';
    }

    private static long wholeNumber(
        final TopologyBuilder builder, final String key, final String value, final String example, final int lineNumber)
    {
        try
        {
            return Long.parseLong(value);
        }
        catch (final NumberFormatException ex)
        {
            throw builder.error(lineNumber, key + " must be a whole number, e.g. " + key + "=" + example +
                "; got '" + value + "'");
        }
    }

    private static Path path(final TopologyBuilder builder, final String key, final String value, final int lineNumber)
    {
        if (value.isEmpty())
        {
            throw builder.error(lineNumber, key + " must be a directory path, e.g. " + key + "=" +
                ClusterTopology.DEFAULT_JOURNAL_DIRECTORY + "; got ''");
        }
        try
        {
            return Path.of(value);
        }
        catch (final InvalidPathException ex)
        {
            throw builder.error(lineNumber, key + " is not a valid path: " + ex.getMessage());
        }
    }

    private static String reason(final IOException ex)
    {
        if (ex instanceof NoSuchFileException)
        {
            return "no such file";
        }
        if (ex instanceof AccessDeniedException)
        {
            return "permission denied";
        }
        if (ex instanceof CharacterCodingException)
        {
            return "not UTF-8 text";
        }

        return null != ex.getMessage() ? ex.getMessage() : ex.getClass().getSimpleName();
    }
}
