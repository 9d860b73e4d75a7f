package io.minikv.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SharedStringsTest {
    private final SharedStrings shared = new SharedStrings();

    @Test
    void equalStringsGetOneInstance() {
        String first = shared.of(new String("v1"));
        assertThat(shared.of(new String("v1"))).isSameAs(first);
        assertThat(shared.of(new String("v2"))).isNotSameAs(first).isEqualTo("v2");
    }

    @Test
    void pastItsCapacityAStringIsReturnedAsItIs() {
        for (int i = 0; i < SharedStrings.CAPACITY; i++) {
            shared.of("type/" + i);
        }
        String late = new String("type/late");
        assertThat(shared.of(late)).isSameAs(late);
        assertThat(shared.of(new String("type/late"))).as("not kept").isNotSameAs(late);
        String kept = shared.of(new String("type/7"));
        assertThat(shared.of(new String("type/7"))).as("still shared").isSameAs(kept);
    }
}
