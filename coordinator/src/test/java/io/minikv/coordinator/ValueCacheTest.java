package io.minikv.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ValueCacheTest {
    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aValueIsServedOnlyForTheVersionItWasCachedWith() {
        ValueCache cache = new ValueCache(1 << 20);
        cache.put("k", 7, bytes("seven"));

        assertThat(cache.get("k", 7)).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("seven")));
        assertThat(cache.get("k", 8)).isEmpty();
        assertThat(cache.get("k", 6)).isEmpty();
        assertThat(cache.get("other", 7)).isEmpty();
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(3);
    }

    @Test
    void aNewerVersionReplacesTheEntryAndAnOlderOneNeverDoes() {
        ValueCache cache = new ValueCache(1 << 20);
        cache.put("k", 7, bytes("seven"));
        cache.put("k", 9, bytes("nine"));
        cache.put("k", 8, bytes("eight, read late"));

        assertThat(cache.get("k", 9)).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("nine")));
        assertThat(cache.get("k", 8)).isEmpty();
        assertThat(cache.get("k", 7)).isEmpty();
        assertThat(cache.bytes()).isEqualTo(ValueCache.cost("k", bytes("nine")));
    }

    @Test
    void valuesAboveTheEntryLimitAreNotKept() {
        ValueCache cache = new ValueCache(1 << 30);
        cache.put("big", 1, new byte[ValueCache.MAX_ENTRY_BYTES + 1]);
        cache.put("fits", 1, new byte[ValueCache.MAX_ENTRY_BYTES]);

        assertThat(cache.get("big", 1)).isEmpty();
        assertThat(cache.get("fits", 1)).isPresent();
    }

    @Test
    void aZeroCapacityKeepsNothing() {
        ValueCache cache = new ValueCache(0);
        cache.put("k", 1, bytes("v"));

        assertThat(cache.get("k", 1)).isEmpty();
        assertThat(cache.bytes()).isZero();
        assertThatThrownBy(() -> new ValueCache(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void memoryStaysWithinTheCapacityAndTheLeastRecentlyUsedGoFirst() {
        long capacity = 64 * 1024;
        ValueCache cache = new ValueCache(capacity);
        SplittableRandom random = new SplittableRandom(42);
        String hot = "hot-key";
        byte[] hotValue = new byte[100];
        cache.put(hot, 1, hotValue);
        for (int i = 0; i < 20_000; i++) {
            byte[] value = new byte[random.nextInt(1, 2048)];
            cache.put("key-" + random.nextInt(5_000), i + 2, value);
            assertThat(cache.get(hot, 1)).as("a key read all along stays").isPresent();
            assertThat(cache.bytes()).isLessThanOrEqualTo(capacity);
        }
        assertThat(cache.bytes()).isGreaterThan(capacity / 2);
    }
}
