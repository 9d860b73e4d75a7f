package io.minikv.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.minikv.proto.Shards;
import io.minikv.proto.v1.KeyState;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RepairChoiceTest {
    private static final List<String> UP = List.of("v0", "v1", "v2", "v3", "v4");

    private static KeyState key(String... replicas) {
        return KeyState.newBuilder()
                .setKey("photos/cat.jpg")
                .setVersion(42)
                .addAllReplicas(List.of(replicas))
                .build();
    }

    /** The up volumes that are not replicas of the key, best first. */
    private static List<String> candidates(KeyState key) {
        return Placement.replicas(Shards.of(key.getKey()), UP, UP.size()).stream()
                .filter(id -> !key.getReplicasList().contains(id))
                .toList();
    }

    @Test
    void leavesAKeyWithEnoughLiveReplicasAlone() {
        assertThat(RepairChoice.of(key("v0", "v1", "v2"), UP, 3, Set.of())).isInstanceOf(RepairChoice.Enough.class);
        assertThat(RepairChoice.of(key("v0", "v1", "v2", "v9"), UP, 3, Set.of()))
                .isInstanceOf(RepairChoice.Enough.class);
    }

    /** One replica down: one copy is enough; two down: the key is still short after it. */
    @ParameterizedTest
    @CsvSource({"v9 v1 v2, v1, false", "v8 v9 v2, v2, true"})
    void copiesFromTheFirstLiveReplicaToTheBestVolumeWithoutOne(String replicas, String from, boolean stillShort) {
        KeyState key = key(replicas.split(" "));
        assertThat(RepairChoice.of(key, UP, 3, Set.of()))
                .isEqualTo(new RepairChoice.Copy(
                        "photos/cat.jpg", 42, from, candidates(key).getFirst(), stillShort));
    }

    @Test
    void isStuckWithNothingToCopyFromOrNowhereToCopyTo() {
        assertThat(RepairChoice.of(key("v8", "v9"), UP, 3, Set.of())).isInstanceOf(RepairChoice.Stuck.class);
        assertThat(RepairChoice.of(key("v0", "v1", "v9"), List.of("v0", "v1"), 3, Set.of()))
                .isInstanceOf(RepairChoice.Stuck.class);
    }

    @Test
    void passesOverVolumesThatDidNotAnswerInThisPass() {
        KeyState key = key("v9", "v1", "v2");
        List<String> candidates = candidates(key);
        assertThat(RepairChoice.of(key, UP, 3, Set.of("v1", candidates.getFirst())))
                .isEqualTo(new RepairChoice.Copy("photos/cat.jpg", 42, "v2", candidates.get(1), false));
    }

    @Test
    void defersAKeyThatOnlyAnUnresponsiveVolumeCanHelp() {
        KeyState key = key("v9", "v1", "v2");
        assertThat(RepairChoice.of(key, UP, 3, Set.of("v1", "v2"))).isInstanceOf(RepairChoice.Deferred.class);
        assertThat(RepairChoice.of(key, UP, 3, Set.copyOf(candidates(key)))).isInstanceOf(RepairChoice.Deferred.class);
    }

    @Test
    void givesLargeCopiesLongerDeadlines() {
        assertThat(Repairer.pullDeadlineMillis(256)).isEqualTo(30_000);
        assertThat(Repairer.pullDeadlineMillis(1L << 30)).isEqualTo(30_000 + 256_000);
    }
}
