package io.minikv.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QuorumWaitTest {
    private static final long LONG = TimeUnit.SECONDS.toNanos(30);
    private static final long GRACE = TimeUnit.MILLISECONDS.toNanos(50);

    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        later.shutdownNow();
    }

    private static Map<String, CompletableFuture<PrepareResult>> replicas(String... ids) {
        Map<String, CompletableFuture<PrepareResult>> answers = new LinkedHashMap<>();
        for (String id : ids) {
            answers.put(id, new CompletableFuture<>());
        }
        return answers;
    }

    private void answerAfter(CompletableFuture<PrepareResult> answer, PrepareResult result, long millis) {
        later.schedule(() -> answer.complete(result), millis, TimeUnit.MILLISECONDS);
    }

    private static Map<String, PrepareResult> await(
            Map<String, CompletableFuture<PrepareResult>> answers, int quorum, long deadline, long grace) {
        return QuorumWait.awaitAll(List.of(answers), quorum, deadline, grace).getFirst();
    }

    @Test
    void everyReplicaThatAnswersInTimeIsCounted() {
        Map<String, CompletableFuture<PrepareResult>> answers = replicas("v0", "v1", "v2");
        answers.get("v0").complete(PrepareResult.PREPARED);
        answers.get("v1").complete(PrepareResult.FAILED);
        answerAfter(answers.get("v2"), PrepareResult.PREPARED, 20);

        assertThat(await(answers, 2, System.nanoTime() + LONG, TimeUnit.SECONDS.toNanos(10)))
                .containsExactly(
                        Map.entry("v0", PrepareResult.PREPARED),
                        Map.entry("v1", PrepareResult.FAILED),
                        Map.entry("v2", PrepareResult.PREPARED));
    }

    @Test
    void aSlowReplicaDoesNotHoldTheWriteOnceTheQuorumPrepared() {
        Map<String, CompletableFuture<PrepareResult>> answers = replicas("v0", "v1", "slow");
        answerAfter(answers.get("v0"), PrepareResult.PREPARED, 5);
        answerAfter(answers.get("v1"), PrepareResult.PREPARED, 10);
        // Long after the grace, well before the deadline: waiting for every replica would count it.
        answerAfter(answers.get("slow"), PrepareResult.PREPARED, 3_000);

        assertThat(await(answers, 2, System.nanoTime() + LONG, GRACE))
                .containsExactly(
                        Map.entry("v0", PrepareResult.PREPARED),
                        Map.entry("v1", PrepareResult.PREPARED),
                        Map.entry("slow", PrepareResult.TIMED_OUT));
    }

    @Test
    void withoutAQuorumItWaitsForEveryAnswerUntilTheDeadline() {
        Map<String, CompletableFuture<PrepareResult>> answers = replicas("v0", "v1", "v2");
        answers.get("v0").complete(PrepareResult.PREPARED);
        answers.get("v1").completeExceptionally(new IllegalStateException("the call failed"));
        // Well after the grace: without a quorum the write keeps waiting for the last replica.
        answerAfter(answers.get("v2"), PrepareResult.PREPARED, 300);

        assertThat(await(answers, 2, System.nanoTime() + LONG, GRACE))
                .containsExactly(
                        Map.entry("v0", PrepareResult.PREPARED),
                        Map.entry("v1", PrepareResult.FAILED),
                        Map.entry("v2", PrepareResult.PREPARED));
    }

    @Test
    void theDeadlineEndsTheWaitWhateverTheQuorum() {
        Map<String, CompletableFuture<PrepareResult>> answers = replicas("v0", "v1");
        answers.get("v0").complete(PrepareResult.PREPARED);

        assertThat(await(answers, 2, System.nanoTime() + GRACE, LONG))
                .containsExactly(Map.entry("v0", PrepareResult.PREPARED), Map.entry("v1", PrepareResult.TIMED_OUT));
    }

    @Test
    void writesPreparedTogetherEachWaitForTheirQuorumThenShareTheGrace() {
        Map<String, CompletableFuture<PrepareResult>> first = replicas("v0", "v1", "slow");
        Map<String, CompletableFuture<PrepareResult>> second = replicas("v0", "v1", "slow");
        first.get("v0").complete(PrepareResult.PREPARED);
        first.get("v1").complete(PrepareResult.PREPARED);
        second.get("v0").complete(PrepareResult.PREPARED);
        // Well after the grace: the second write still waits for its quorum.
        answerAfter(second.get("v1"), PrepareResult.PREPARED, 300);
        // Long after the grace, well before the deadline: it times out in both writes.
        answerAfter(first.get("slow"), PrepareResult.PREPARED, 3_000);
        answerAfter(second.get("slow"), PrepareResult.PREPARED, 3_000);

        Map<String, PrepareResult> eachWrite =
                Map.of("v0", PrepareResult.PREPARED, "v1", PrepareResult.PREPARED, "slow", PrepareResult.TIMED_OUT);
        assertThat(QuorumWait.awaitAll(List.of(first, second), 2, System.nanoTime() + LONG, GRACE))
                .containsExactly(eachWrite, eachWrite);
    }
}
