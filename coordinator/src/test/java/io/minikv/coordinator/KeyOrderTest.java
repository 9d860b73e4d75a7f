package io.minikv.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyOrderTest {
    /** Characters from every range where UTF-16 and UTF-8 orders could disagree. */
    private static final int[] CODE_POINTS = {
        'a', 'z', 0x7F, 0xE9, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFF21, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF
    };

    private static String randomKey(SplittableRandom random) {
        StringBuilder key = new StringBuilder();
        int length = random.nextInt(0, 5);
        for (int i = 0; i < length; i++) {
            key.appendCodePoint(CODE_POINTS[random.nextInt(CODE_POINTS.length)]);
        }
        return key.toString();
    }

    @Test
    void agreesWithTheUnsignedOrderOfUtf8Bytes() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 50_000; i++) {
            String a = randomKey(random);
            String b = randomKey(random);
            int expected = Integer.signum(
                    Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
            assertThat(Integer.signum(KeyOrder.INSTANCE.compare(a, b)))
                    .as("%s vs %s", a, b)
                    .isEqualTo(expected);
            assertThat(Integer.signum(OrderedKey.of(a).compareTo(OrderedKey.of(b))))
                    .as("OrderedKey %s vs %s", a, b)
                    .isEqualTo(expected);
        }
    }

    @Test
    void putsCharactersAboveU_FFFFAfterTheRestOfThePlane() {
        assertThat("\uD83D\uDE00".compareTo("\uFF21")).as("String's own order").isNegative();
        assertThat(KeyOrder.INSTANCE.compare("\uD83D\uDE00", "\uFF21")).isPositive();
        assertThat(KeyOrder.INSTANCE.compare("ab", "abc")).isNegative();
        assertThat(KeyOrder.INSTANCE.compare("abc", "abc")).isZero();
    }
}
