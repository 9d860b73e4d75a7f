package io.minikv.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.minikv.proto.v1.CommitRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class PendingCommitsTest {
    private final List<Map<String, List<CommitRequest>>> sentAlone = new CopyOnWriteArrayList<>();

    private static CommitRequest commit(String key) {
        return CommitRequest.newBuilder()
                .setKey(key)
                .setTransactionId(key.hashCode())
                .build();
    }

    @Test
    void commitsThatNoRoundTakesGoOnTheirOwn() {
        PendingCommits pending = new PendingCommits(Duration.ofMillis(10), sentAlone::add);
        pending.add("host:0", commit("a"));
        pending.add("host:1", commit("a"));
        pending.add("host:0", commit("b"));

        pending.sendUnlessTaken();

        Awaitility.await().until(() -> sentAlone.size() == 1);
        assertThat(sentAlone.getFirst())
                .isEqualTo(Map.of(
                        "host:0", List.of(commit("a"), commit("b")),
                        "host:1", List.of(commit("a"))));
        assertThat(pending.takeAll()).isEmpty();
    }

    @Test
    void commitsThatARoundTakesAreNotSentAlone() throws InterruptedException {
        PendingCommits pending = new PendingCommits(Duration.ofMillis(1000), sentAlone::add);
        pending.add("host:0", commit("a"));
        pending.sendUnlessTaken();
        assertThat(pending.takeAll()).isEqualTo(Map.of("host:0", List.of(commit("a"))));

        // Added half-way through the grace that "a" started: the timer, finding "a" taken when it
        // wakes, gives "b" a grace of its own instead of sending it, and the next round takes it.
        Thread.sleep(500);
        pending.add("host:0", commit("b"));
        pending.sendUnlessTaken();
        Thread.sleep(1000);
        assertThat(pending.takeAll()).isEqualTo(Map.of("host:0", List.of(commit("b"))));

        pending.add("host:0", commit("c"));
        pending.sendUnlessTaken();
        Awaitility.await().until(() -> sentAlone.size() == 1);
        assertThat(sentAlone.getFirst()).isEqualTo(Map.of("host:0", List.of(commit("c"))));
    }
}
