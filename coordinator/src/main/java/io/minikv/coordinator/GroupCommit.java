package io.minikv.coordinator;

import io.minikv.proto.MinikvException;
import java.time.Duration;
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
 *
 * <p>With a {@link Linger} (as PostgreSQL's {@code commit_delay}), the batch after a small one waits
 * for the items that the callers it answered are likely to send next: it starts once as many items
 * wait as that batch held plus those already waiting when it ended, or when the linger is over,
 * whichever comes first. Callers that each wait for their last item before submitting the next then
 * share one batch rather than splitting into two groups that take turns, each waiting a whole batch
 * for the other. A lone caller never waits: one item is as many as its batch held.
 */
final class GroupCommit<I, R> {
    private final int maxItems;
    private final int maxWeight;
    private final int maxInFlight;
    private final ToIntFunction<I> weight;
    private final Function<List<I>, List<R>> runBatch;
    private final Executor executor;
    private final Linger linger;

    private final ArrayDeque<Waiting<I, R>> queue = new ArrayDeque<>();
    private int inFlight;
    /** While lingering: how many items the next batch waits for, until {@link #lingerEnds}. */
    private int lingerFor;

    private long lingerEnds;
    private boolean lingerTimerSet;

    private long batches;
    private long batchedItems;
    private long lingersRunOut;

    private record Waiting<I, R>(I item, CompletableFuture<R> result) {}

    /**
     * How long a batch may wait for the callers the last batch answered, and up to what size of that
     * batch it does: the callers of a large batch take longer to come back than a short linger, and
     * a large batch already shares its cost among many items.
     */
    record Linger(Duration time, int afterBatchesUpTo) {
        static final Linger NONE = new Linger(Duration.ZERO, 0);
    }

    GroupCommit(
            int maxItems,
            int maxWeight,
            int maxInFlight,
            ToIntFunction<I> weight,
            Function<List<I>, List<R>> runBatch,
            Executor executor,
            Linger linger) {
        if (maxItems < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("a batch needs room for an item and a slot to run in");
        }
        this.maxItems = maxItems;
        this.maxWeight = maxWeight;
        this.maxInFlight = maxInFlight;
        this.weight = weight;
        this.runBatch = runBatch;
        this.executor = executor;
        this.linger = linger;
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

    /** How many batches have started. */
    synchronized long batches() {
        return batches;
    }

    /** How many items the batches that have started held. */
    synchronized long batchedItems() {
        return batchedItems;
    }

    /**
     * How many batches started when their linger ran out, before as many items waited as the batch
     * before held: their callers came back later than the linger, or some did not come back.
     */
    synchronized long lingersRunOut() {
        return lingersRunOut;
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

    /**
     * {@code items} in order, cut into batches as a queue of them would be: at most {@code maxItems}
     * items and {@code maxWeight} weight each, an item heavier than {@code maxWeight} alone.
     */
    static <T> List<List<T>> split(List<T> items, ToIntFunction<T> weight, int maxItems, int maxWeight) {
        List<List<T>> batches = new ArrayList<>();
        List<T> batch = new ArrayList<>();
        int total = 0;
        for (T item : items) {
            int next = weight.applyAsInt(item);
            if (full(batch.size(), total, next, maxItems, maxWeight)) {
                batches.add(batch);
                batch = new ArrayList<>();
                total = 0;
            }
            batch.add(item);
            total += next;
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
    }

    /** Whether a batch of {@code size} items weighing {@code total} has no room for one of {@code next}. */
    private static boolean full(int size, int total, int next, int maxItems, int maxWeight) {
        return size >= maxItems || (size > 0 && total + next > maxWeight);
    }

    /** The next batch to run, taken from the queue, or null when none may start now. Holds the lock. */
    private List<Waiting<I, R>> nextBatch() {
        if (queue.isEmpty() || inFlight >= maxInFlight) {
            return null;
        }
        if (queue.size() < lingerFor) {
            if (System.nanoTime() - lingerEnds < 0) {
                setLingerTimer();
                return null;
            }
            lingersRunOut++;
        }
        lingerFor = 0;
        List<Waiting<I, R>> batch = new ArrayList<>();
        int total = 0;
        while (!queue.isEmpty()) {
            int next = weight.applyAsInt(queue.peek().item());
            if (full(batch.size(), total, next, maxItems, maxWeight)) {
                break;
            }
            total += next;
            batch.add(queue.poll());
        }
        inFlight++;
        batches++;
        batchedItems += batch.size();
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
            lingerAfter(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(results.get(i));
            }
        } catch (RuntimeException | Error e) {
            batch.forEach(w -> w.result().completeExceptionally(e));
        } finally {
            finished();
        }
    }

    /**
     * Called before the items of a batch of {@code size} are answered, so that the queue does not yet
     * hold any item their callers send next.
     */
    private synchronized void lingerAfter(int size) {
        if (size <= linger.afterBatchesUpTo()) {
            lingerFor = Math.min(maxItems, queue.size() + size);
            lingerEnds = System.nanoTime() + linger.time().toNanos();
        }
    }

    /** Starts the waiting batch when the linger ends, unless enough items arrive before. Holds the lock. */
    private void setLingerTimer() {
        if (lingerTimerSet) {
            return;
        }
        lingerTimerSet = true;
        Timer.PLATFORM_THREAD.after(Duration.ofNanos(lingerEnds - System.nanoTime()), () -> {
            List<Waiting<I, R>> batch;
            synchronized (this) {
                lingerTimerSet = false;
                batch = nextBatch();
            }
            if (batch != null) {
                start(batch);
            }
        });
    }

    /** One batch is done: the next one, if items wait, starts now (or when its linger allows). */
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
