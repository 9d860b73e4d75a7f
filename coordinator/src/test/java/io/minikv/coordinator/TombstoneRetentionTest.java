package io.minikv.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TombstoneRetentionTest {
    private static final long SECOND = 1_000_000_000L;

    private final TombstoneRetention retention = new TombstoneRetention(Duration.ofSeconds(10));

    @Test
    void nothingIsOldEnoughBeforeANoteHasAgedTheRetentionPeriod() {
        assertThat(retention.purgeBelow(100 * SECOND)).isZero();
        retention.note(100 * SECOND, 50);
        assertThat(retention.purgeBelow(109 * SECOND)).isZero();
        assertThat(retention.purgeBelow(110 * SECOND)).isEqualTo(51);
    }

    @Test
    void theBoundIsTheNewestNoteThatAged() {
        retention.note(0, 10);
        retention.note(5 * SECOND, 20);
        retention.note(12 * SECOND, 30);
        assertThat(retention.purgeBelow(16 * SECOND)).isEqualTo(21);
        assertThat(retention.purgeBelow(17 * SECOND)).as("asked again").isEqualTo(21);
        assertThat(retention.purgeBelow(22 * SECOND)).isEqualTo(31);
    }

    @Test
    void aNoteThatDoesNotAdvanceIsIgnored() {
        retention.note(0, 10);
        retention.note(8 * SECOND, 10);
        retention.note(9 * SECOND, 7);
        assertThat(retention.purgeBelow(10 * SECOND)).isEqualTo(11);
        assertThat(retention.purgeBelow(30 * SECOND)).isEqualTo(11);
    }
}
