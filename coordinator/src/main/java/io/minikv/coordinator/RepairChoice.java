package io.minikv.coordinator;

import io.minikv.proto.Shards;
import io.minikv.proto.v1.KeyState;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * What one repair pass does with one key, decided without I/O: nothing when it has enough live
 * replicas; else one copy, from its first live replica to the best live volume (rendezvous order)
 * that lacks one. Volumes that failed to answer a copy earlier in the pass are passed over, so that
 * a hung volume costs a pass one copy's deadline, not one per key.
 */
sealed interface RepairChoice {
    /** The key has at least the wanted number of live replicas. */
    record Enough() implements RepairChoice {}

    /**
     * No live replica to copy from, or no live volume without one to copy to: only a change in the
     * live volumes can help, and that starts a background pass anyway.
     */
    record Stuck() implements RepairChoice {}

    /** A copy is possible only through a volume that failed to answer in this pass: for a later one. */
    record Deferred() implements RepairChoice {}

    /** Copy the key's version from {@code from} to {@code to}; {@code stillShort} if it needs more after. */
    record Copy(String key, long version, String from, String to, boolean stillShort) implements RepairChoice {}

    static RepairChoice of(KeyState key, Collection<String> up, int replicas, Set<String> unresponsive) {
        List<String> listed = key.getReplicasList();
        List<String> live = listed.stream().filter(up::contains).toList();
        if (live.size() >= replicas) {
            return new Enough();
        }
        List<String> candidates = Placement.replicas(Shards.of(key.getKey()), up, up.size()).stream()
                .filter(id -> !listed.contains(id))
                .toList();
        if (live.isEmpty() || candidates.isEmpty()) {
            return new Stuck();
        }
        String from = live.stream()
                .filter(id -> !unresponsive.contains(id))
                .findFirst()
                .orElse(null);
        String to = candidates.stream()
                .filter(id -> !unresponsive.contains(id))
                .findFirst()
                .orElse(null);
        if (from == null || to == null) {
            return new Deferred();
        }
        return new Copy(key.getKey(), key.getVersion(), from, to, live.size() + 1 < replicas);
    }
}
