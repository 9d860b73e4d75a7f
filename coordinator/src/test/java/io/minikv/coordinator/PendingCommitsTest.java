package io.minikv.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.minikv.proto.v1.CommitRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PendingCommitsTest {
    private static final Duration GRACE = Duration.ofMillis(5);

    private final List<Map<String, List<CommitRequest>>> sentAlone = new ArrayList<>();
    /** The graces started and not yet over; the test ends them by running their tasks. */
    private final List<Runnable> graces = new ArrayList<>();

    private final PendingCommits pending = new PendingCommits(GRACE, sentAlone::add, (delay, task) -> {
        assertThat(delay).isEqualTo(GRACE);
        graces.add(task);
    });

    private static CommitRequest commit(String key) {
        return CommitRequest.newBuilder()
                .setKey(key)
                .setTransactionId(key.hashCode())
                .build();
    }

    private void endGrace() {
        assertThat(graces).hasSize(1);
        graces.removeFirst().run();
    }

    @Test
    void commitsThatNoRoundTakesGoOnTheirOwn() {
        pending.add("host:0", commit("a"));
        pending.add("host:1", commit("a"));
        pending.add("host:0", commit("b"));

        pending.sendUnlessTaken();
        assertThat(sentAlone).isEmpty();
        endGrace();

        assertThat(sentAlone)
                .containsExactly(Map.of(
                        "host:0", List.of(commit("a"), commit("b")),
                        "host:1", List.of(commit("a"))));
        assertThat(pending.takeAll()).isEmpty();
        assertThat(graces).isEmpty();
    }

    @Test
    void commitsThatARoundTakesAreNotSentAloneAndLaterOnesGetAGraceOfTheirOwn() {
        pending.add("host:0", commit("a"));
        pending.sendUnlessTaken();
        assertThat(pending.takeAll()).isEqualTo(Map.of("host:0", List.of(commit("a"))));
        pending.add("host:0", commit("b"));
        pending.sendUnlessTaken();

        // The grace "a" started ends: "a" was taken, so "b" gets a grace of its own, and a round takes it.
        endGrace();
        assertThat(sentAlone).isEmpty();
        assertThat(pending.takeAll()).isEqualTo(Map.of("host:0", List.of(commit("b"))));

        pending.add("host:0", commit("c"));
        pending.sendUnlessTaken();
        endGrace();
        assertThat(sentAlone).isEmpty();
        endGrace();
        assertThat(sentAlone).containsExactly(Map.of("host:0", List.of(commit("c"))));
        assertThat(graces).isEmpty();
    }

    @Test
    void aGraceThatEndsWithNothingPendingEndsTheTimer() {
        pending.add("host:0", commit("a"));
        pending.sendUnlessTaken();
        pending.takeAll();

        endGrace();
        pending.add("host:0", commit("b"));
        pending.sendUnlessTaken();
        endGrace();

        assertThat(sentAlone).containsExactly(Map.of("host:0", List.of(commit("b"))));
    }
}
