package io.minikv.volume;

import io.minikv.proto.BlobKeys;
import io.minikv.proto.MinikvException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The blob key named by a request path: everything after {@code /blobs/}, percent-decoded as UTF-8,
 * so {@code /blobs/a/b%20c} is the key {@code a/b c}. Decoded from the raw path, byte by byte, so
 * that no lenient decoder turns invalid UTF-8 into replacement characters that then pass as a key.
 */
public final class KeyPath {
    public static final String PREFIX = "/blobs/";

    private KeyPath() {}

    /**
     * The key in {@code rawPath}, which starts with {@link #PREFIX}.
     *
     * @throws MinikvException.InvalidArgument when the encoding is broken or the key breaks the key rules
     */
    public static String key(String rawPath) {
        return key(rawPath, PREFIX);
    }

    /** The key in {@code rawPath} after {@code prefix} (a route of the coordinators such as {@code /api/v1/kv/}). */
    public static String key(String rawPath, String prefix) {
        String encoded = rawPath.substring(prefix.length());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                if (i + 2 >= encoded.length()
                        || !HexFormat.isHexDigit(encoded.charAt(i + 1))
                        || !HexFormat.isHexDigit(encoded.charAt(i + 2))) {
                    throw new MinikvException.InvalidArgument("key has a broken percent-encoding");
                }
                bytes.write(HexFormat.fromHexDigits(encoded, i + 1, i + 3));
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        String key = BlobKeys.decode(bytes.toByteArray());
        if (key == null) {
            throw new MinikvException.InvalidArgument("key is not valid UTF-8");
        }
        String problem = BlobKeys.problem(key);
        if (problem != null) {
            throw new MinikvException.InvalidArgument(problem);
        }
        return key;
    }
}
