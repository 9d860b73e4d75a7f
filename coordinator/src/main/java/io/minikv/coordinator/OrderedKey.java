package io.minikv.coordinator;

/**
 * A metadata key that sorts in {@link KeyOrder} at the speed of {@link String#compareTo}. The two
 * orders differ only where both keys have a character at or above U+D800 at their first
 * difference; a key with no such character ({@code plain}, nearly every key) is compared with
 * String's own vectorized comparison, and only two keys that both have one take KeyOrder's walk.
 */
record OrderedKey(String key, boolean plain) implements Comparable<OrderedKey> {
    private static final char FIRST_SURROGATE = '\uD800';

    static OrderedKey of(String key) {
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) >= FIRST_SURROGATE) {
                return new OrderedKey(key, false);
            }
        }
        return new OrderedKey(key, true);
    }

    @Override
    public int compareTo(OrderedKey other) {
        return plain || other.plain ? key.compareTo(other.key) : KeyOrder.INSTANCE.compare(key, other.key);
    }
}
