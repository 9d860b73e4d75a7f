package io.minikv.proto;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The rules for blob keys, the same at every entry point: 1 to {@value #MAX_BYTES} bytes of UTF-8,
 * no control characters (U+0000–U+001F, U+007F–U+009F). {@code /} is allowed. Keeping control
 * characters out also leaves the bytes below 0x20 free for a volume's internal records.
 */
public final class BlobKeys {
    public static final int MAX_BYTES = 1024;

    private BlobKeys() {}

    /** Why {@code key} is not a valid blob key, or null when it is. */
    public static String problem(String key) {
        if (key == null || key.isEmpty()) {
            return "key must not be empty";
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c)) {
                return "key must not contain control characters (found U+%04X)".formatted((int) c);
            }
            if (Character.isSurrogate(c)
                    && !(Character.isHighSurrogate(c)
                            && i + 1 < key.length()
                            && Character.isLowSurrogate(key.charAt(++i)))) {
                return "key is not valid Unicode (lone surrogate)";
            }
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            return "key is %d bytes; the limit is %d".formatted(bytes, MAX_BYTES);
        }
        return null;
    }

    /** Decodes raw key bytes as strict UTF-8; null when they are not valid UTF-8. */
    public static String decode(byte[] bytes) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
