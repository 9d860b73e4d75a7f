package io.minikv.volume;

/**
 * What a {@code Range} header asks of a blob of a given size (RFC 9110 §14.1.2). Only single byte
 * ranges are served; a header that is malformed, has another unit or asks for several ranges is
 * ignored, as the RFC allows, and the whole blob is sent.
 */
public sealed interface ByteRange {
    /** Send everything (no usable Range header). */
    public record Whole() implements ByteRange {}

    /** Send bytes {@code first..last}, both included. */
    public record Slice(long first, long last) implements ByteRange {
        public long length() {
            return last - first + 1;
        }
    }

    /** The range starts beyond the end of the blob (or asks for none of it): 416. */
    public record Unsatisfiable() implements ByteRange {}

    ByteRange WHOLE = new Whole();

    /** Reads {@code header} (null when absent) for a blob of {@code size} bytes. */
    public static ByteRange of(String header, long size) {
        if (header == null) {
            return WHOLE;
        }
        String spec = header.strip();
        if (!spec.regionMatches(true, 0, "bytes=", 0, 6)) {
            return WHOLE;
        }
        spec = spec.substring(6);
        int dash = spec.indexOf('-');
        if (dash < 0 || spec.indexOf(',') >= 0) {
            return WHOLE;
        }
        String firstText = spec.substring(0, dash).strip();
        String lastText = spec.substring(dash + 1).strip();
        if (!isNumberOrEmpty(firstText) || !isNumberOrEmpty(lastText) || firstText.isEmpty() && lastText.isEmpty()) {
            return WHOLE;
        }
        if (firstText.isEmpty()) {
            long suffix = Long.parseLong(lastText);
            return suffix == 0 || size == 0 ? new Unsatisfiable() : new Slice(Math.max(0, size - suffix), size - 1);
        }
        long first = Long.parseLong(firstText);
        if (!lastText.isEmpty() && Long.parseLong(lastText) < first) {
            return WHOLE;
        }
        if (first >= size) {
            return new Unsatisfiable();
        }
        long last = lastText.isEmpty() ? size - 1 : Math.min(Long.parseLong(lastText), size - 1);
        return new Slice(first, last);
    }

    /** Decimal digits that fit a long comfortably, or nothing. */
    private static boolean isNumberOrEmpty(String text) {
        return text.length() <= 18 && text.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
