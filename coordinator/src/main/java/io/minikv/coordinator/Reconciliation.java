package io.minikv.coordinator;

import io.minikv.proto.v1.KeyState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Compares the metadata with what the volumes hold (DESIGN.md §3, verify and repair), one key at a
 * time as {@link KeyMerge} walks them. Pure: a row comes in, the findings go out.
 *
 * <p>Whether a volume's copy is a leftover is decided by a lookup made after the volume listed it. A
 * volume commits a version only after the metadata did, so a version it lists that the metadata
 * (read later) does not have committed is a true leftover, never a write in progress.
 */
final class Reconciliation {
    private Reconciliation() {}

    /** A committed version (or a deletion) as a volume lists it. */
    record Held(String key, long version, boolean deleted) {}

    /** What is wrong with one key on one volume. */
    enum Problem {
        /** A listed replica (up) does not hold the committed version. */
        MISSING,
        /** A listed replica is down: its copy cannot be checked now. */
        REPLICA_DOWN,
        /** A volume holds data the metadata does not need there: deleted, absent or an old version elsewhere. */
        ORPHAN,
        /** A volume marked up could not be listed, or its listing broke off: the rest of it was not checked. */
        UNREACHABLE
    }

    /**
     * One finding.
     *
     * @param key null for UNREACHABLE
     * @param version for MISSING and REPLICA_DOWN the committed version; for ORPHAN the version the
     *     volume holds; 0 for UNREACHABLE
     */
    record Finding(String key, String volumeId, Problem problem, long version) {}

    /**
     * What is wrong with one key, from a row of the walk over the metadata and the listings.
     *
     * @param lookup the metadata of a key, read after the volumes listed it
     * @param down the volumes that are down
     */
    static List<Finding> findings(
            KeyMerge.Row row, Function<String, Optional<KeyState>> lookup, Collection<String> down) {
        List<Finding> findings = new ArrayList<>();
        KeyState key = row.metadata();
        if (key != null && !key.getDeleted()) {
            for (String replica : key.getReplicasList()) {
                if (down.contains(replica)) {
                    findings.add(new Finding(key.getKey(), replica, Problem.REPLICA_DOWN, key.getVersion()));
                } else if (row.listed().contains(replica) && !holds(row, replica, key)) {
                    findings.add(new Finding(key.getKey(), replica, Problem.MISSING, key.getVersion()));
                }
            }
        }
        row.held().forEach((volume, held) -> {
            if (held.deleted()) {
                return;
            }
            Optional<KeyState> committed = lookup.apply(held.key());
            boolean orphan = committed.isEmpty()
                    || committed.get().getDeleted()
                    || (held.version() < committed.get().getVersion()
                            && !committed.get().getReplicasList().contains(volume));
            if (orphan) {
                findings.add(new Finding(held.key(), volume, Problem.ORPHAN, held.version()));
            }
        });
        return findings;
    }

    /** Whether {@code volume} lists exactly the committed version of {@code key}. */
    static boolean holds(KeyMerge.Row row, String volume, KeyState key) {
        Held held = row.held().get(volume);
        return held != null && !held.deleted() && held.version() == key.getVersion();
    }
}
