package io.minikv.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.minikv.coordinator.Reconciliation.Finding;
import io.minikv.coordinator.Reconciliation.Held;
import io.minikv.coordinator.Reconciliation.Problem;
import io.minikv.proto.v1.KeyState;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ReconciliationTest {
    private static KeyState key(String key, long version, boolean deleted, String... replicas) {
        return KeyState.newBuilder()
                .setKey(key)
                .setVersion(version)
                .setDeleted(deleted)
                .addAllReplicas(List.of(replicas))
                .build();
    }

    /** Every finding of a walk over {@code metadata} and {@code listings}, both in key order. */
    private static List<Finding> compare(List<KeyState> metadata, Map<String, List<Held>> listings, List<String> down) {
        Map<String, KeyState> byKey = metadata.stream().collect(Collectors.toMap(KeyState::getKey, k -> k));
        Function<String, Optional<KeyState>> lookup = k -> Optional.ofNullable(byKey.get(k));
        Map<String, Iterator<Held>> sources = new LinkedHashMap<>();
        listings.forEach((volume, held) -> sources.put(volume, held.iterator()));
        KeyMerge merge = new KeyMerge(metadata.iterator(), sources);
        List<Finding> findings = new ArrayList<>();
        while (merge.hasNext()) {
            findings.addAll(Reconciliation.findings(merge.next(), lookup, down));
        }
        return findings;
    }

    @Test
    void aClusterThatAgreesWithItsMetadataHasNoFindings() {
        List<KeyState> metadata = List.of(key("a", 5, false, "v1", "v2"), key("gone", 7, true, "v1"));
        Map<String, List<Held>> listings = Map.of(
                "v1", List.of(new Held("a", 5, false), new Held("gone", 7, true)),
                "v2", List.of(new Held("a", 5, false)));
        assertThat(compare(metadata, listings, List.of())).isEmpty();
    }

    @Test
    void findsMissingCopiesDownReplicasAndLeftovers() {
        List<KeyState> metadata = List.of(
                key("a", 5, false, "v1", "v2", "v3"), key("deleted", 9, true, "v1"), key("moved", 8, false, "v2"));
        Map<String, List<Held>> listings = Map.of(
                "v1",
                List.of(
                        new Held("a", 4, false),
                        new Held("deleted", 6, false),
                        new Held("moved", 3, false),
                        new Held("unknown", 2, false)),
                "v2",
                List.of(new Held("a", 5, false), new Held("moved", 8, false)));
        assertThat(compare(metadata, listings, List.of("v3")))
                .containsExactly(
                        new Finding("a", "v1", Problem.MISSING, 5),
                        new Finding("a", "v3", Problem.REPLICA_DOWN, 5),
                        new Finding("deleted", "v1", Problem.ORPHAN, 6),
                        new Finding("moved", "v1", Problem.ORPHAN, 3),
                        new Finding("unknown", "v1", Problem.ORPHAN, 2));
    }

    @Test
    void aReplicaThatListsNothingOfAKeyIsMissingIt() {
        List<KeyState> metadata = List.of(key("a", 5, false, "v1", "v2"), key("b", 6, false, "v1", "v2"));
        Map<String, List<Held>> listings =
                Map.of("v1", List.of(new Held("a", 5, false), new Held("b", 6, false)), "v2", List.of());
        assertThat(compare(metadata, listings, List.of()))
                .containsExactly(
                        new Finding("a", "v2", Problem.MISSING, 5), new Finding("b", "v2", Problem.MISSING, 6));
    }

    @Test
    void aVolumeThatWasNotListedIsNotReportedAsMissingEverything() {
        List<KeyState> metadata = List.of(key("a", 5, false, "v1", "v2"));
        assertThat(compare(metadata, Map.of("v2", List.of(new Held("a", 5, false))), List.of()))
                .isEmpty();
    }

    @Test
    void aLeftoverIsJudgedByTheMetadataReadAfterTheListing() {
        // The walk saw no metadata for "late" (committed after the metadata walk passed it); the
        // lookup made after the volume listed it finds the commit: not a leftover.
        List<KeyState> walked = List.of();
        KeyMerge merge = new KeyMerge(
                walked.iterator(),
                Map.of("v1", List.of(new Held("late", 3, false)).iterator()));
        KeyState committed = key("late", 3, false, "v1");
        assertThat(Reconciliation.findings(merge.next(), k -> Optional.of(committed), List.of()))
                .isEmpty();
    }
}
