package io.minikv.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a positive duration as people write it ({@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}) or in ISO-8601. */
final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern SHORT_FORM = Pattern.compile("(\\d+)(ms|s|m|h)");

    @Override
    public Duration convert(String text) {
        Duration duration = parse(text.strip().toLowerCase(Locale.ROOT));
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new TypeConversionException("'" + text + "' is not a positive duration such as 500ms, 10s or 2m");
        }
        return duration;
    }

    private static Duration parse(String text) {
        Matcher matcher = SHORT_FORM.matcher(text);
        try {
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                return switch (matcher.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                };
            }
            return Duration.parse(text.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            return null;
        }
    }
}
