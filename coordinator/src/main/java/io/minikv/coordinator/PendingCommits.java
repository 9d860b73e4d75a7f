package io.minikv.coordinator;

import io.minikv.proto.v1.CommitRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Commits of small writes whose commit points are in Raft, by volume address, waiting to ride in
 * the next round's batches ({@link SmallWriteRounds}) and share their disk sync. When no round takes
 * them within {@code sendAloneAfter}, they go on their own.
 *
 * <p>Why wait at all: callers that write one at a time come back within about the round's linger, so
 * Commits sent at once would cost every volume a call and a sync per round for nothing. Why not wait
 * for ever: until a Commit arrives, a read served by a replica commits the version there first (an
 * extra call), and the {@link TransactionResolver} would redo it only after much longer.
 */
final class PendingCommits {
    private final Duration sendAloneAfter;
    private final Consumer<Map<String, List<CommitRequest>>> sendAlone;
    private final Timer timer;

    private Map<String, List<CommitRequest>> byVolume = new HashMap<>();
    /** How many times the pending Commits were taken: a timer that sees it change knows a round took them. */
    private long taken;

    private boolean timerSet;

    /** @param sendAlone sends the Commits given, by volume address, outside any round */
    PendingCommits(Duration sendAloneAfter, Consumer<Map<String, List<CommitRequest>>> sendAlone, Timer timer) {
        this.sendAloneAfter = sendAloneAfter;
        this.sendAlone = sendAlone;
        this.timer = timer;
    }

    synchronized void add(String grpcAddress, CommitRequest commit) {
        byVolume.computeIfAbsent(grpcAddress, address -> new ArrayList<>()).add(commit);
    }

    /** Takes every pending Commit, by volume address, for a round to send. */
    synchronized Map<String, List<CommitRequest>> takeAll() {
        taken++;
        Map<String, List<CommitRequest>> all = byVolume;
        byVolume = new HashMap<>();
        return all;
    }

    /**
     * Sends the pending Commits on their own unless a round takes them within {@code sendAloneAfter};
     * Commits added meanwhile get the same grace again.
     */
    synchronized void sendUnlessTaken() {
        if (timerSet || byVolume.isEmpty()) {
            return;
        }
        timerSet = true;
        startGrace();
    }

    /** Holds the lock. */
    private void startGrace() {
        long takenBefore = taken;
        timer.after(sendAloneAfter, () -> graceOver(takenBefore));
    }

    private void graceOver(long takenBefore) {
        Map<String, List<CommitRequest>> untaken;
        synchronized (this) {
            if (byVolume.isEmpty()) {
                timerSet = false;
                return;
            }
            if (taken != takenBefore) {
                // A round took the Commits this grace was for; those pending now came later.
                startGrace();
                return;
            }
            timerSet = false;
            untaken = takeAll();
        }
        sendAlone.accept(untaken);
    }
}
