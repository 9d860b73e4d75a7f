package io.minikv.coordinator;

import java.util.Comparator;

/**
 * Keys in the order of their UTF-8 bytes (that is, by code point), as volumes store and list them
 * and as S3 lists keys. Java's own {@link String#compareTo} compares UTF-16 units, which sorts a
 * character above U+FFFF before U+E000..U+FFFF; the metadata uses this order instead so that it can
 * be walked side by side with a volume's listing.
 */
final class KeyOrder implements Comparator<String> {
    static final KeyOrder INSTANCE = new KeyOrder();

    private static final char FIRST_SURROGATE = '\uD800';
    private static final char AFTER_SURROGATES = '\uE000';

    private KeyOrder() {}

    @Override
    public int compare(String a, String b) {
        int length = Math.min(a.length(), b.length());
        for (int i = 0; i < length; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                return codePointRank(x) - codePointRank(y);
            }
        }
        return a.length() - b.length();
    }

    /**
     * A UTF-16 unit's place in code point order: surrogates (which only start characters above
     * U+FFFF) move above every other unit, and U+E000..U+FFFF move down into the gap they leave.
     */
    private static int codePointRank(char c) {
        if (c < FIRST_SURROGATE) {
            return c;
        }
        return c >= AFTER_SURROGATES ? c - 0x800 : c + 0x2000;
    }
}
