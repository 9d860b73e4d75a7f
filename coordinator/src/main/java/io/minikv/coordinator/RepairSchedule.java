package io.minikv.coordinator;

import java.util.Set;

/**
 * When the background repair needs a pass over every key. After a pass that left nothing for a
 * later pass to do, no key can have become short of replicas, or repairable, until one of three
 * things changes: the term (another leader's writes), the set of live volumes, or the count of
 * writes committed on fewer than N replicas. Until then passes are skipped. Pure: the {@link
 * Repairer} feeds it what it sees.
 */
final class RepairSchedule {
    /** What the repair saw before a pass. */
    record Seen(long term, Set<String> up, long shortCommits) {}

    /** What was seen before the last pass that left nothing to do, or null when none did since a change. */
    private Seen clean;

    /** Whether a pass is needed now that {@code now} is seen. */
    boolean due(Seen now) {
        return !now.equals(clean);
    }

    /** A pass started when {@code before} was seen and left {@code left} keys for a later pass. */
    void passed(Seen before, long left) {
        clean = left == 0 ? before : null;
    }
}
