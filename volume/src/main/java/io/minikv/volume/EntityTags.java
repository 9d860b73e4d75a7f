package io.minikv.volume;

import io.minikv.proto.MinikvException;

/**
 * Entity tags in conditional request headers (RFC 9110 §8.8.3, §13.1). A blob's tag is its MD5
 * in hex, sent quoted. Reads compare weakly ({@code If-None-Match}); writes compare strongly
 * ({@code If-Match}), so a weak tag never matches there.
 */
public final class EntityTags {
    private EntityTags() {}

    public static String quote(String etag) {
        return '"' + etag + '"';
    }

    /** Whether {@code ifNoneMatch} (null when absent) names {@code etag}, or is {@code *}: then a GET answers 304. */
    public static boolean noneMatchFails(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.strip();
            if (t.equals("*")) {
                return true;
            }
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (unquote(t).equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The condition that {@code If-Match} and {@code If-None-Match} (each null when absent) put on
     * a write. Supported: {@code If-None-Match: *} (create only) and {@code If-Match} with one tag
     * (replace only that version).
     *
     * @throws MinikvException.InvalidArgument for forms a volume cannot check atomically
     */
    public static Precondition writePrecondition(String ifMatch, String ifNoneMatch) {
        if (ifMatch != null && ifNoneMatch != null) {
            throw new MinikvException.InvalidArgument("use either If-Match or If-None-Match on a write, not both");
        }
        if (ifNoneMatch != null) {
            if (!ifNoneMatch.strip().equals("*")) {
                throw new MinikvException.InvalidArgument("writes support only If-None-Match: *");
            }
            return new Precondition.IfAbsent();
        }
        if (ifMatch != null) {
            String tag = ifMatch.strip();
            if (tag.equals("*") || tag.contains(",") || tag.isEmpty()) {
                throw new MinikvException.InvalidArgument("writes support If-Match with exactly one entity tag");
            }
            // A weak tag keeps its W/ prefix and so never equals an MD5: strong comparison fails.
            return new Precondition.IfMatch(unquote(tag));
        }
        return Precondition.NONE;
    }

    /** Whether an {@code If-Range} header (null when absent) lets a Range request be served as a range. */
    public static boolean rangeAllowed(String ifRange, String etag) {
        return ifRange == null || unquote(ifRange.strip()).equals(etag);
    }

    private static String unquote(String tag) {
        return tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")
                ? tag.substring(1, tag.length() - 1)
                : tag;
    }
}
