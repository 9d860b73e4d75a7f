package io.minikv.coordinator;

import io.minikv.proto.v1.KeyState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Compares the metadata with what the volumes hold (DESIGN.md §3, verify and repair). Pure: the
 * listings come in, the findings go out.
 *
 * <p>The volumes are listed before the metadata is read. A volume commits a version only after the
 * metadata did, so a version a volume lists that the metadata (read later) does not have committed
 * is a true leftover, never a write in progress.
 */
public final class Reconciliation {
    private Reconciliation() {}

    /** A committed version (or a deletion) as a volume lists it. */
    public record Held(String key, long version, boolean deleted) {}

    /** What is wrong with one key on one volume. */
    public enum Problem {
        /** A listed replica (up) does not hold the committed version. */
        MISSING,
        /** A listed replica is down: its copy cannot be checked now. */
        REPLICA_DOWN,
        /** A volume holds data the metadata does not need there: deleted, absent or an old version elsewhere. */
        ORPHAN,
        /** A volume marked up could not be listed, so nothing on it was checked. */
        UNREACHABLE
    }

    /**
     * One finding.
     *
     * @param version for MISSING and REPLICA_DOWN the committed version; for ORPHAN the version the volume holds
     */
    public record Finding(String key, String volumeId, Problem problem, long version) {}

    /**
     * @param metadata every key of the metadata, deletions included
     * @param lookup the metadata of one key (read after the listings)
     * @param listings what each volume that is up holds, by key
     * @param down the volumes that are down
     */
    public static List<Finding> compare(
            Collection<KeyState> metadata,
            Function<String, Optional<KeyState>> lookup,
            Map<String, Map<String, Held>> listings,
            Collection<String> down) {
        List<Finding> findings = new ArrayList<>();
        for (KeyState key : metadata) {
            if (key.getDeleted()) {
                continue;
            }
            for (String replica : key.getReplicasList()) {
                if (down.contains(replica)) {
                    findings.add(new Finding(key.getKey(), replica, Problem.REPLICA_DOWN, key.getVersion()));
                    continue;
                }
                Map<String, Held> held = listings.get(replica);
                if (held == null) {
                    continue;
                }
                Held copy = held.get(key.getKey());
                if (copy == null || copy.deleted() || copy.version() != key.getVersion()) {
                    findings.add(new Finding(key.getKey(), replica, Problem.MISSING, key.getVersion()));
                }
            }
        }
        listings.forEach((volume, held) -> {
            for (Held h : held.values()) {
                if (h.deleted()) {
                    continue;
                }
                Optional<KeyState> committed = lookup.apply(h.key());
                boolean orphan = committed.isEmpty()
                        || committed.get().getDeleted()
                        || (h.version() < committed.get().getVersion()
                                && !committed.get().getReplicasList().contains(volume));
                if (orphan) {
                    findings.add(new Finding(h.key(), volume, Problem.ORPHAN, h.version()));
                }
            }
        });
        return findings;
    }
}
