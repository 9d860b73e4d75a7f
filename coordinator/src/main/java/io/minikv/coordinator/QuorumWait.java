package io.minikv.coordinator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Waits for the replicas' answers to small writes' prepares as the commit point needs them: until
 * the write quorum has prepared (or every replica has answered, or the deadline passes), then for
 * the others as long again, and at least {@code minGrace}. A replica that has not answered by then
 * counts as TIMED_OUT: the write commits without it (it gets an Abort), and the repairer gives the
 * key its missing replica. Without this, one volume that hangs without dying would hold up every
 * write for the length of the call's deadline until the coordinators mark it down.
 */
final class QuorumWait {
    private QuorumWait() {}

    /**
     * Waits for the answers of writes prepared together: until each has its write quorum prepared (or
     * every replica answered, or the deadline passed); then for the rest of the answers, once for all
     * the writes, so that a replica that hangs holds them up for one grace period, not one each.
     *
     * <p>Each of the two waits is one wait for all the writes: the answers of a round arrive a batch
     * per volume, completed one after the other by the transport's thread, and a wait for each write
     * in turn would wake this thread once for the first and put it back to sleep for the next.
     *
     * @param writes each write's answers to come, by volume id
     * @return each write's answers, in order
     */
    static List<Map<String, PrepareResult>> awaitAll(
            List<Map<String, CompletableFuture<PrepareResult>>> writes,
            int quorum,
            long deadlineNanos,
            long minGraceNanos) {
        long start = System.nanoTime();
        waitUntil(
                CompletableFuture.allOf(
                        writes.stream().map(answers -> enough(answers, quorum)).toArray(CompletableFuture[]::new)),
                deadlineNanos);
        long grace = Math.max(minGraceNanos, System.nanoTime() - start);
        long graceEnds = Math.min(deadlineNanos, System.nanoTime() + grace);
        waitUntil(
                CompletableFuture.allOf(writes.stream()
                        .flatMap(answers -> answers.values().stream())
                        .toArray(CompletableFuture[]::new)),
                graceEnds);
        List<Map<String, PrepareResult>> results = new ArrayList<>(writes.size());
        for (Map<String, CompletableFuture<PrepareResult>> answers : writes) {
            Map<String, PrepareResult> result = new LinkedHashMap<>();
            answers.forEach((volume, answer) -> result.put(volume, answerNow(answer)));
            results.add(result);
        }
        return results;
    }

    /** Completes once the write quorum prepared or every replica answered. */
    private static CompletableFuture<Void> enough(Map<String, CompletableFuture<PrepareResult>> answers, int quorum) {
        CompletableFuture<Void> enough = new CompletableFuture<>();
        AtomicInteger prepared = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        answers.values()
                .forEach(answer -> answer.whenComplete((result, failure) -> {
                    boolean quorumReached = result == PrepareResult.PREPARED && prepared.incrementAndGet() == quorum;
                    if (answered.incrementAndGet() == answers.size() || quorumReached) {
                        enough.complete(null);
                    }
                }));
        return enough;
    }

    /** The replica's answer, or TIMED_OUT when it has none yet. */
    private static PrepareResult answerNow(CompletableFuture<PrepareResult> answer) {
        if (!answer.isDone()) {
            return PrepareResult.TIMED_OUT;
        }
        return answer.isCompletedExceptionally() ? PrepareResult.FAILED : answer.join();
    }

    private static void waitUntil(CompletableFuture<Void> event, long deadlineNanos) {
        try {
            event.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // The deadline passed, or an answer was a failure: each answer is taken as it stands.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
