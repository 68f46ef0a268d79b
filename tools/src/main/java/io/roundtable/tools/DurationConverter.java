package io.roundtable.tools;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.util.Locale;

/** Parses {@code 500ms}, {@code 20s}, {@code 2m}, {@code 1h} (or ISO-8601 {@code PT20S}) into a Duration. */
public final class DurationConverter implements ITypeConverter<Duration>
{
    public Duration convert(final String value)
    {
        final String text = value.trim().toLowerCase(Locale.ROOT);
        try
        {
            if (text.startsWith("pt"))
            {
                return positive(Duration.parse(text.toUpperCase(Locale.ROOT)), value);
            }
            if (text.endsWith("ms"))
            {
                return positive(Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2))), value);
            }
            final long amount = Long.parseLong(text.substring(0, text.length() - 1));
            switch (text.charAt(text.length() - 1))
            {
                case 's':
                    return positive(Duration.ofSeconds(amount), value);
                case 'm':
                    return positive(Duration.ofMinutes(amount), value);
                case 'h':
                    return positive(Duration.ofHours(amount), value);
                default:
                    break;
            }
        }
        catch (final TypeConversionException ex)
        {
            throw ex; // a duration, but not a positive one: say that, not that it is no duration
        }
        catch (final RuntimeException ex)
        {
            // fall through to the explanation below
        }
        throw new TypeConversionException("'" + value + "' is not a duration: write e.g. 500ms, 20s, 2m or 1h");
    }

    private static Duration positive(final Duration duration, final String value)
    {
        if (duration.isNegative() || duration.isZero())
        {
            throw new TypeConversionException("'" + value + "' must be a positive duration");
        }
        return duration;
    }
}
