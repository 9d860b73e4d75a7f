package io.minikv.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a positive byte count: a number of bytes, or with a binary unit ({@code 64KiB}, {@code 512MiB}, {@code 1GiB}; K, M, G too). */
final class ByteCountConverter implements ITypeConverter<Long> {
    private static final Pattern COUNT = Pattern.compile("(\\d{1,19})\\s*(b|k|kib|m|mib|g|gib)?");

    @Override
    public Long convert(String text) {
        Matcher matcher = COUNT.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw invalid(text);
        }
        String unit = matcher.group(2) == null ? "b" : matcher.group(2);
        int shift = switch (unit) {
            case "k", "kib" -> 10;
            case "m", "mib" -> 20;
            case "g", "gib" -> 30;
            default -> 0;
        };
        try {
            long count = Long.parseLong(matcher.group(1));
            if (count <= 0 || count > Long.MAX_VALUE >> shift) {
                throw invalid(text);
            }
            return count << shift;
        } catch (NumberFormatException e) {
            throw invalid(text);
        }
    }

    private static TypeConversionException invalid(String text) {
        return new TypeConversionException(
                "'" + text + "' is not a positive size such as 1048576, 64KiB, 512MiB or 1GiB");
    }
}
