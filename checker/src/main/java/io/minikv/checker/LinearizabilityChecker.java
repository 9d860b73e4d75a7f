package io.minikv.checker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decides whether a recorded history is linearizable with respect to a {@link Model}.
 *
 * <p>The history is split into partitions (one per key when the model is {@linkplain Model#partitionedByKey()
 * partitioned by key}, otherwise one), and each partition is searched on its own. The searches share a pool of
 * threads in short slices, smallest partition first, so that a partition that fails quickly is found even while
 * others would take very long; the first failure stops every other search.
 *
 * <p>Thread-safe and stateless. Each call uses up to one thread per available processor (the calling thread is
 * one of them) and has stopped them all when it returns.
 */
public final class LinearizabilityChecker {
    /** Search steps between two looks at the deadline and at the other partitions' results. */
    private static final long SLICE_STEPS = 20_000;

    /**
     * The heap a check allows itself per cached configuration. A register configuration takes about 130 bytes
     * (measured); a key-value state of a few hundred characters adds its own copy of the string. With this margin
     * a hard history ends as {@link Verdict.Unknown} rather than as an {@link OutOfMemoryError}.
     */
    private static final long BYTES_PER_CONFIGURATION = 2048;

    private LinearizabilityChecker() {}

    /**
     * Checks {@code history} against {@code model}.
     *
     * <p>Operations with a known outcome must each be placed between their call and return; operations whose
     * outcome is unknown may be placed anywhere after their call, or left out. The answer is {@link
     * Verdict.Unknown} when the search has not decided within {@code timeout}, when its cache would outgrow a
     * share of the heap (about one configuration per 2 KiB of {@link Runtime#maxMemory()}), or when the calling
     * thread is interrupted (its interrupt status is kept); stopping early never turns into a wrong verdict.
     *
     * @throws RuntimeException whatever the model throws (for example, for an output that does not fit its input)
     */
    public static <S, I, O> Verdict check(Model<S, I, O> model, List<Operation<I, O>> history, Duration timeout) {
        return check(model, history, timeout, Runtime.getRuntime().maxMemory() / BYTES_PER_CONFIGURATION);
    }

    /** {@link #check(Model, List, Duration)} with an explicit bound on the cached configurations of all partitions. */
    static <S, I, O> Verdict check(
            Model<S, I, O> model, List<Operation<I, O>> history, Duration timeout, long configurationLimit) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(timeout, "timeout");
        long start = System.nanoTime();
        List<PartitionSearch<S, I, O>> searches = partitions(model, history).entrySet().stream()
                .map(e -> new PartitionSearch<>(model, e.getKey(), e.getValue()))
                .sorted(Comparator.comparingInt(PartitionSearch::size))
                .toList();
        Run<S, I, O> run = new Run<>(searches, start, timeout, configurationLimit);
        int helpers = Math.min(Runtime.getRuntime().availableProcessors(), searches.size()) - 1;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < helpers; i++) {
            threads.add(Thread.ofPlatform()
                    .daemon()
                    .name("linearizability-checker-" + i)
                    .start(run::work));
        }
        run.work();
        boolean interrupted = false;
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                    run.stop("interrupted");
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return run.verdict();
    }

    private static <I, O> Map<String, List<Operation<I, O>>> partitions(
            Model<?, I, O> model, List<Operation<I, O>> history) {
        Map<String, List<Operation<I, O>>> partitions = new LinkedHashMap<>();
        for (Operation<I, O> op : history) {
            String key = model.partitionedByKey() ? op.key() : "";
            partitions.computeIfAbsent(key, k -> new ArrayList<>()).add(op);
        }
        return partitions;
    }

    private static long saturatedNanos(Duration timeout) {
        try {
            return timeout.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** One call's shared progress: the searches still to run, and the first failure, error or reason to stop. */
    private static final class Run<S, I, O> {
        private final List<PartitionSearch<S, I, O>> searches;
        private final ConcurrentLinkedQueue<PartitionSearch<S, I, O>> queue;
        private final long start;
        private final Duration timeout;
        private final long budget;
        private final long configurationLimit;
        private final AtomicLong configurations = new AtomicLong();
        private final AtomicReference<Verdict.NotLinearizable> failure = new AtomicReference<>();
        private final AtomicReference<RuntimeException> error = new AtomicReference<>();
        private final AtomicReference<String> stopReason = new AtomicReference<>();

        Run(List<PartitionSearch<S, I, O>> searches, long start, Duration timeout, long configurationLimit) {
            this.searches = searches;
            this.queue = new ConcurrentLinkedQueue<>(searches);
            this.start = start;
            this.timeout = timeout;
            this.budget = timeout.isNegative() ? 0 : saturatedNanos(timeout);
            this.configurationLimit = configurationLimit;
        }

        void stop(String reason) {
            stopReason.compareAndSet(null, reason);
        }

        /** Takes searches from the queue and runs each for a slice, until all are decided or the run stops. */
        void work() {
            while (stopReason.get() == null) {
                if (System.nanoTime() - start >= budget) {
                    stop("no decision within " + timeout);
                } else if (Thread.currentThread().isInterrupted()) {
                    stop("interrupted");
                } else if (configurations.get() > configurationLimit) {
                    stop("the search outgrew its memory bound of " + configurationLimit + " configurations");
                } else {
                    PartitionSearch<S, I, O> search = queue.poll();
                    if (search == null) {
                        return;
                    }
                    runSlice(search);
                }
            }
        }

        private void runSlice(PartitionSearch<S, I, O> search) {
            long before = search.visitedSize();
            try {
                switch (search.run(SLICE_STEPS)) {
                    case LINEARIZABLE -> {}
                    case NOT_LINEARIZABLE -> {
                        failure.compareAndSet(null, search.failure());
                        stop("a partition is not linearizable");
                    }
                    case UNFINISHED -> queue.add(search);
                }
            } catch (RuntimeException e) {
                error.compareAndSet(null, e);
                stop("the model threw " + e);
            }
            configurations.addAndGet(search.visitedSize() - before);
        }

        /** Called once every worker has returned. */
        Verdict verdict() {
            if (error.get() != null) {
                throw error.get();
            }
            if (failure.get() != null) {
                return failure.get();
            }
            List<String> undecided = searches.stream()
                    .filter(s -> s.progress() == PartitionSearch.Progress.UNFINISHED)
                    .map(PartitionSearch::key)
                    .toList();
            return undecided.isEmpty() ? new Verdict.Linearizable() : new Verdict.Unknown(stopReason.get(), undecided);
        }
    }
}
