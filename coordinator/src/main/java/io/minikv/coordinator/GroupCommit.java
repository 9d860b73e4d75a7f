package io.minikv.coordinator;

import io.minikv.proto.MinikvException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Runs items in batches, as a log's group commit does: an item submitted while {@code maxInFlight}
 * batches are already running waits, with the others that arrive meanwhile, and they all go in the
 * next batch. Under light load a batch holds one item and adds no delay; under heavy load batches
 * grow, and the cost of each call (a round trip, a disk sync, a Raft entry) is shared.
 *
 * <p>A batch holds at most {@code maxItems} items and, unless a single item is larger, at most
 * {@code maxWeight} of their weight. {@code runBatch} returns one result per item, in order; when it
 * throws, every item of the batch fails with that exception.
 */
final class GroupCommit<I, R> {
    private final int maxItems;
    private final int maxWeight;
    private final int maxInFlight;
    private final ToIntFunction<I> weight;
    private final Function<List<I>, List<R>> runBatch;
    private final Executor executor;

    private final ArrayDeque<Waiting<I, R>> queue = new ArrayDeque<>();
    private int inFlight;

    private record Waiting<I, R>(I item, CompletableFuture<R> result) {}

    GroupCommit(
            int maxItems,
            int maxWeight,
            int maxInFlight,
            ToIntFunction<I> weight,
            Function<List<I>, List<R>> runBatch,
            Executor executor) {
        if (maxItems < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("a batch needs room for an item and a slot to run in");
        }
        this.maxItems = maxItems;
        this.maxWeight = maxWeight;
        this.maxInFlight = maxInFlight;
        this.weight = weight;
        this.runBatch = runBatch;
        this.executor = executor;
    }

    /** Queues {@code item}; the future completes when its batch has run. */
    CompletableFuture<R> submit(I item) {
        return submitAll(List.of(item)).getFirst();
    }

    /**
     * Queues {@code items} together, in order: when nothing runs, they start in one batch (as far as
     * it holds them) rather than the first alone. A future per item, completing when its batch has run.
     */
    List<CompletableFuture<R>> submitAll(List<I> items) {
        List<CompletableFuture<R>> results = new ArrayList<>(items.size());
        List<Waiting<I, R>> batch;
        synchronized (this) {
            for (I item : items) {
                CompletableFuture<R> result = new CompletableFuture<>();
                queue.add(new Waiting<>(item, result));
                results.add(result);
            }
            batch = nextBatch();
        }
        if (batch != null) {
            start(batch);
        }
        return results;
    }

    /** How many items wait for a batch: when a batch that is running ends, the next one starts at once. */
    synchronized int waiting() {
        return queue.size();
    }

    /**
     * Submits {@code item} and waits for its result. A batch that failed with {@link
     * MinikvException.Unavailable} rethrows it; any other failure, or an interruption, becomes one
     * that names {@code what}, since the caller cannot know how far its item got.
     */
    R await(I item, String what) {
        try {
            return submit(item).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MinikvException.Unavailable unavailable) {
                throw unavailable;
            }
            throw new MinikvException.Unavailable(what + " failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MinikvException.Unavailable("interrupted during " + what);
        }
    }

    /** The next batch to run, taken from the queue, or null when none may start now. Holds the lock. */
    private List<Waiting<I, R>> nextBatch() {
        if (queue.isEmpty() || inFlight >= maxInFlight) {
            return null;
        }
        List<Waiting<I, R>> batch = new ArrayList<>();
        int total = 0;
        while (!queue.isEmpty() && batch.size() < maxItems) {
            int next = weight.applyAsInt(queue.peek().item());
            if (!batch.isEmpty() && total + next > maxWeight) {
                break;
            }
            total += next;
            batch.add(queue.poll());
        }
        inFlight++;
        return batch;
    }

    private void start(List<Waiting<I, R>> batch) {
        try {
            executor.execute(() -> run(batch));
        } catch (RuntimeException e) {
            finished();
            batch.forEach(w -> w.result().completeExceptionally(e));
        }
    }

    private void run(List<Waiting<I, R>> batch) {
        try {
            List<R> results = runBatch.apply(batch.stream().map(Waiting::item).toList());
            if (results.size() != batch.size()) {
                throw new IllegalStateException(
                        "a batch of " + batch.size() + " items gave " + results.size() + " results");
            }
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(results.get(i));
            }
        } catch (RuntimeException | Error e) {
            batch.forEach(w -> w.result().completeExceptionally(e));
        } finally {
            finished();
        }
    }

    /** One batch is done: the next one, if items wait, starts now. */
    private void finished() {
        List<Waiting<I, R>> next;
        synchronized (this) {
            inFlight--;
            next = nextBatch();
        }
        if (next != null) {
            start(next);
        }
    }
}
