package io.minikv.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.minikv.proto.Shards;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementTest {
    private static final List<String> THREE = List.of("v0", "v1", "v2");
    private static final String[] PINNED_0 = {"v0", "v2", "v1"};
    private static final String[] PINNED_255 = {"v1", "v0", "v2"};

    @Test
    void choosesDistinctVolumesIndependentOfInputOrder() {
        for (int shard = 0; shard < Shards.COUNT; shard++) {
            List<String> chosen = Placement.replicas(shard, THREE, 2);
            assertThat(chosen).hasSize(2).doesNotHaveDuplicates();
            assertThat(Placement.replicas(shard, List.of("v2", "v0", "v1"), 2)).isEqualTo(chosen);
        }
    }

    @Test
    void givesFewerReplicasWhenThereAreFewerVolumes() {
        assertThat(Placement.replicas(7, List.of("only"), 3)).containsExactly("only");
        assertThat(Placement.replicas(7, List.of(), 3)).isEmpty();
    }

    @Test
    void addingAVolumeMovesAboutOneShardInN() {
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            before.add("volume-" + i);
        }
        List<String> after = new ArrayList<>(before);
        after.add("volume-9");
        int moved = 0;
        for (int shard = 0; shard < Shards.COUNT; shard++) {
            Set<String> old = new HashSet<>(Placement.replicas(shard, before, 3));
            Set<String> now = new HashSet<>(Placement.replicas(shard, after, 3));
            old.removeAll(now);
            moved += old.size();
        }
        // 256 shards x 3 replicas = 768 placements; the tenth volume should take about a tenth of them,
        // each displacing exactly one old replica, and nothing else should move.
        assertThat(moved).isBetween(768 / 10 / 2, 768 / 10 * 2);
    }

    @Test
    void removingAVolumeOnlyMovesItsShards() {
        for (int shard = 0; shard < Shards.COUNT; shard++) {
            List<String> all = Placement.replicas(shard, List.of("a", "b", "c", "d", "e"), 3);
            List<String> without = Placement.replicas(shard, List.of("a", "b", "d", "e"), 3);
            List<String> kept = new ArrayList<>(all);
            kept.remove("c");
            assertThat(without).containsAll(kept);
        }
    }

    /** Pinned: where data lives depends on these choices, so they must never change by accident. */
    @Test
    void placementIsStable() {
        assertThat(Placement.replicas(0, THREE, 3)).containsExactly(PINNED_0);
        assertThat(Placement.replicas(255, THREE, 3)).containsExactly(PINNED_255);
    }

    @Test
    void spreadsShardsEvenly() {
        int[] firsts = new int[3];
        for (int shard = 0; shard < Shards.COUNT; shard++) {
            firsts[THREE.indexOf(Placement.replicas(shard, THREE, 1).getFirst())]++;
        }
        for (int count : firsts) {
            assertThat(count).isBetween(60, 110);
        }
    }
}
