package io.minikv.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minikv.proto.MinikvException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitTest {
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    /** Every batch that ran, in the order they started. */
    private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        executor.close();
    }

    /** Doubles each item; the first batch waits for {@code release}. */
    private GroupCommit<Integer, Integer> doubling(int maxItems, int maxWeight, CountDownLatch release) {
        return groupCommit(maxItems, maxWeight, items -> {
            batches.add(items);
            if (batches.size() == 1) {
                await(release);
            }
            return items.stream().map(i -> 2 * i).toList();
        });
    }

    private GroupCommit<Integer, Integer> groupCommit(
            int maxItems, int maxWeight, Function<List<Integer>, List<Integer>> run) {
        return new GroupCommit<>(maxItems, maxWeight, 1, i -> i, run, executor, GroupCommit.Linger.NONE);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aLoneItemRunsAtOnceInABatchOfItsOwn() throws Exception {
        CountDownLatch open = new CountDownLatch(0);
        GroupCommit<Integer, Integer> group = doubling(10, 100, open);
        assertThat(get(group.submit(4))).isEqualTo(8);
        assertThat(get(group.submit(5))).isEqualTo(10);
        assertThat(batches).containsExactly(List.of(4), List.of(5));
    }

    @Test
    void itemsThatArriveWhileABatchRunsShareTheNextOnesWithinTheLimits() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit<Integer, Integer> group = doubling(3, 10, release);
        CompletableFuture<Integer> first = group.submit(1);
        List<CompletableFuture<Integer>> waiting = new ArrayList<>();
        for (int item : new int[] {1, 2, 3, 4, 9, 20, 1}) {
            waiting.add(group.submit(item));
        }
        assertThat(first).isNotDone();
        release.countDown();
        assertThat(get(first)).isEqualTo(2);
        for (int i = 0; i < waiting.size(); i++) {
            assertThat(get(waiting.get(i)))
                    .isEqualTo(2 * List.of(1, 2, 3, 4, 9, 20, 1).get(i));
        }
        assertThat(batches)
                .as("at most 3 items and a weight of 10 per batch, unless one item alone is heavier")
                .containsExactly(List.of(1), List.of(1, 2, 3), List.of(4), List.of(9), List.of(20), List.of(1));
    }

    @Test
    void itemsSubmittedTogetherStartInOneBatchAndAreCountedUntilThen() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit<Integer, Integer> group = doubling(3, 100, release);
        List<CompletableFuture<Integer>> first = group.submitAll(List.of(1, 2));
        assertThat(group.waiting()).isZero();
        List<CompletableFuture<Integer>> later = group.submitAll(List.of(3, 4, 5, 6));
        assertThat(group.waiting()).isEqualTo(4);
        release.countDown();
        assertThat(get(first.get(1))).isEqualTo(4);
        assertThat(get(later.get(3))).isEqualTo(12);
        assertThat(group.waiting()).isZero();
        assertThat(batches).containsExactly(List.of(1, 2), List.of(3, 4, 5), List.of(6));
    }

    /** Like {@link #doubling}, with a linger. */
    private GroupCommit<Integer, Integer> lingering(Duration linger, CountDownLatch release) {
        return lingering(new GroupCommit.Linger(linger, 10), release);
    }

    private GroupCommit<Integer, Integer> lingering(GroupCommit.Linger linger, CountDownLatch release) {
        return new GroupCommit<>(
                10,
                100,
                1,
                i -> i,
                items -> {
                    batches.add(items);
                    if (batches.size() == 1) {
                        await(release);
                    }
                    return items.stream().map(i -> 2 * i).toList();
                },
                executor,
                linger);
    }

    @Test
    void theBatchAfterOneOfSeveralItemsWaitsForTheirCallersToComeBack() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit<Integer, Integer> group = lingering(Duration.ofMinutes(1), release);
        List<CompletableFuture<Integer>> first = group.submitAll(List.of(1, 2));
        CompletableFuture<Integer> waiting = group.submit(3);
        release.countDown();
        assertThat(get(first.get(1))).isEqualTo(4);
        CompletableFuture<Integer> back = group.submit(4);
        assertThat(group.waiting()).as("3 waits for the callers of 1 and 2").isEqualTo(2);
        CompletableFuture<Integer> last = group.submit(5);
        assertThat(List.of(get(waiting), get(back), get(last))).containsExactly(6, 8, 10);
        assertThat(batches).containsExactly(List.of(1, 2), List.of(3, 4, 5));
        assertThat(List.of(group.batches(), group.batchedItems(), group.lingersRunOut()))
                .as("batches, their items, lingers that ran out")
                .containsExactly(2L, 5L, 0L);
    }

    @Test
    void aBatchLargerThanTheLingerIsForIsFollowedAtOnce() throws Exception {
        assertTheItemThatWaitedRunsWithoutTheOthers(new GroupCommit.Linger(Duration.ofMinutes(1), 2), 0);
    }

    @Test
    void aLoneCallerNeverWaitsForALinger() throws Exception {
        GroupCommit<Integer, Integer> group = lingering(Duration.ofMinutes(1), new CountDownLatch(0));
        for (int item = 1; item <= 3; item++) {
            assertThat(get(group.submit(item))).isEqualTo(2 * item);
        }
        assertThat(batches).containsExactly(List.of(1), List.of(2), List.of(3));
    }

    @Test
    void whenTheLingerIsOverTheItemsThatWaitStartWithoutTheOthers() throws Exception {
        assertTheItemThatWaitedRunsWithoutTheOthers(new GroupCommit.Linger(Duration.ofMillis(20), 10), 1);
    }

    /**
     * A batch of 1, 2 and 3 runs while 4 waits; 4 then runs although their callers send nothing more,
     * after {@code lingersRunOut} lingers ran out.
     */
    private void assertTheItemThatWaitedRunsWithoutTheOthers(GroupCommit.Linger linger, long lingersRunOut)
            throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit<Integer, Integer> group = lingering(linger, release);
        List<CompletableFuture<Integer>> first = group.submitAll(List.of(1, 2, 3));
        CompletableFuture<Integer> waiting = group.submit(4);
        release.countDown();
        assertThat(get(waiting)).isEqualTo(8);
        assertThat(get(first.getFirst())).isEqualTo(2);
        assertThat(batches).containsExactly(List.of(1, 2, 3), List.of(4));
        assertThat(group.lingersRunOut()).isEqualTo(lingersRunOut);
    }

    @Test
    void aFailedBatchFailsEachOfItsItemsAndLaterBatchesStillRun() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<List<Integer>> seen = new CopyOnWriteArrayList<>();
        GroupCommit<Integer, Integer> group = groupCommit(10, 100, items -> {
            seen.add(items);
            if (seen.size() == 1) {
                await(release);
            }
            if (items.contains(13)) {
                throw new IllegalStateException("unlucky");
            }
            return items.size() == 1 && items.getFirst() == 7 ? List.of() : items;
        });
        CompletableFuture<Integer> first = group.submit(1);
        CompletableFuture<Integer> unlucky = group.submit(13);
        CompletableFuture<Integer> neighbour = group.submit(2);
        release.countDown();
        assertThat(get(first)).isEqualTo(1);
        for (CompletableFuture<Integer> failed : List.of(unlucky, neighbour)) {
            assertThatThrownBy(() -> get(failed))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .hasMessage("unlucky");
        }
        assertThatThrownBy(() -> get(group.submit(7)))
                .as("a batch that answers for fewer items than it holds")
                .cause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gave 0 results");
        assertThat(get(group.submit(3))).isEqualTo(3);
    }

    @Test
    void awaitingAnItemTurnsEveryFailureIntoUnavailable() {
        GroupCommit<Integer, Integer> group = groupCommit(10, 100, items -> {
            if (items.contains(1)) {
                throw new MinikvException.Unavailable("no leader");
            }
            throw new IllegalStateException("unreadable answer");
        });
        assertThatThrownBy(() -> group.await(1, "the step"))
                .isInstanceOf(MinikvException.Unavailable.class)
                .hasMessage("no leader");
        assertThatThrownBy(() -> group.await(2, "the step"))
                .isInstanceOf(MinikvException.Unavailable.class)
                .hasMessageStartingWith("the step failed: ")
                .hasMessageContaining("unreadable answer");
    }
}
