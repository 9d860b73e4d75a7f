package io.minikv.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SnapshotTriggerTest {
    private static final long MIN_WRITES = 10_000;

    @Test
    void asksOnceTheWritesOutnumberTheKeys() {
        SnapshotTrigger trigger = new SnapshotTrigger(MIN_WRITES);

        assertThat(trigger.applied(29_999, 30_000)).isFalse();
        assertThat(trigger.applied(1, 30_000)).isTrue();
    }

    @Test
    void asksAfterTheMinimumWhenKeysAreFew() {
        SnapshotTrigger trigger = new SnapshotTrigger(MIN_WRITES);

        assertThat(trigger.applied(MIN_WRITES - 1, 10)).isFalse();
        assertThat(trigger.applied(1, 10)).isTrue();
    }

    @Test
    void asksOnceUntilAnsweredAndCountsAgainFromTheSnapshot() {
        SnapshotTrigger trigger = new SnapshotTrigger(MIN_WRITES);
        assertThat(trigger.applied(MIN_WRITES, 0)).isTrue();

        assertThat(trigger.applied(500, 0)).as("a request is outstanding").isFalse();
        trigger.taken();
        trigger.answered();
        assertThat(trigger.applied(MIN_WRITES - 1, 0)).isFalse();
        assertThat(trigger.applied(1, 0)).isTrue();
    }

    @Test
    void anAnswerWithoutASnapshotLetsTheNextWriteAskAgain() {
        SnapshotTrigger trigger = new SnapshotTrigger(MIN_WRITES);
        assertThat(trigger.applied(MIN_WRITES, 0)).isTrue();

        trigger.answered();

        assertThat(trigger.applied(1, 0)).isTrue();
    }
}
