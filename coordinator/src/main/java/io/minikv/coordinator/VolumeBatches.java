package io.minikv.coordinator;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.minikv.proto.v1.BatchItemResult;
import io.minikv.proto.v1.CommitRequest;
import io.minikv.proto.v1.PrepareBatchRequest;
import io.minikv.proto.v1.PrepareBatchResponse;
import io.minikv.proto.v1.SmallValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's batched calls to volumes: the prepares of whole values of at most {@link #SMALL_VALUE}
 * bytes and the commits of every write go in {@code PrepareBatch} calls, so that concurrent writes
 * share round trips and the volumes' disk syncs. The prepares of a round of small writes go out at
 * once, together with the previous round's commits ({@link #prepareAll}, {@link SmallWriteRounds});
 * a streamed write's commit rides in the next batch for its volume ({@link GroupCommit}, one queue
 * per volume), or in a batch of its own that starts at once.
 */
final class VolumeBatches {
    /** The largest value prepared in a batch: the volume's inline limit. */
    static final int SMALL_VALUE = 32 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(VolumeBatches.class);
    /** Per call: items, and their bytes (the volume takes messages of up to 1 MiB). */
    private static final int MAX_ITEMS = 512;

    private static final int MAX_BYTES = 512 * 1024;
    /** What an item adds to a message besides its value: header, key, etag (keys are at most 1 KiB). */
    private static final int ITEM_OVERHEAD = 128;
    /** Batches running at once per volume: one is sent while the next fills up. */
    private static final int IN_FLIGHT = 1;

    private static final long DEADLINE_MILLIS = 10_000;

    /** One item of a batch. */
    private sealed interface Item {
        int weight();
    }

    private record Prepare(SmallValue value) implements Item {
        @Override
        public int weight() {
            return value.getData().size()
                    + value.getHeader().getMetadata().getKey().length()
                    + ITEM_OVERHEAD;
        }
    }

    private record Commit(CommitRequest commit) implements Item {
        @Override
        public int weight() {
            return commit.getKey().length() + ITEM_OVERHEAD;
        }
    }

    private final VolumeClients volumes;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ConcurrentHashMap<String, GroupCommit<Item, PrepareResult>> batches = new ConcurrentHashMap<>();

    VolumeBatches(VolumeClients volumes) {
        this.volumes = volumes;
    }

    /**
     * Sends {@code commits} and prepares {@code values} on the volume at {@code grpcAddress} now, in
     * as few {@code PrepareBatch} calls as the limits allow; a future per value, in order. The calls
     * are asynchronous and their answers are taken on the transport's thread: a round of small writes
     * ({@link SmallWriteRounds}, one at a time) sends one call per volume and waits for the quorum,
     * so queueing behind the volume's batches and a thread per call only added hand-offs, each a
     * fraction of a millisecond on the benchmark machine (docs/benchmarks.md, session 26).
     */
    List<CompletableFuture<PrepareResult>> prepareAll(
            String grpcAddress, List<CommitRequest> commits, List<SmallValue> values) {
        List<Item> items = new ArrayList<>(commits.size() + values.size());
        commits.forEach(commit -> items.add(new Commit(commit)));
        values.forEach(value -> items.add(new Prepare(value)));
        List<CompletableFuture<PrepareResult>> results = new ArrayList<>(items.size());
        for (List<Item> batch : GroupCommit.split(items, Item::weight, MAX_ITEMS, MAX_BYTES)) {
            results.addAll(callAsync(grpcAddress, batch));
        }
        return results.subList(commits.size(), results.size());
    }

    /**
     * Commits on the volume at {@code grpcAddress}, in the next batch for that volume, without waiting:
     * a lost commit is found and redone by the {@link TransactionResolver}.
     */
    void commit(String grpcAddress, CommitRequest commit) {
        batches(grpcAddress).submit(new Commit(commit));
    }

    private GroupCommit<Item, PrepareResult> batches(String grpcAddress) {
        return batches.computeIfAbsent(
                grpcAddress,
                address -> new GroupCommit<>(
                        MAX_ITEMS,
                        MAX_BYTES,
                        IN_FLIGHT,
                        Item::weight,
                        batch -> call(address, batch),
                        executor,
                        GroupCommit.Linger.NONE));
    }

    /** One {@code PrepareBatch} call: a result per item in order (a commit's is PREPARED when it succeeded). */
    private List<PrepareResult> call(String address, List<Item> batch) {
        try {
            return results(
                    batch,
                    volumes.blocking(address)
                            .withDeadlineAfter(DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
                            .prepareBatch(request(batch)));
        } catch (StatusRuntimeException e) {
            return failed(address, batch, e);
        }
    }

    /** {@link #call}, without waiting: a future per item, completed on the transport's thread. */
    private List<CompletableFuture<PrepareResult>> callAsync(String address, List<Item> batch) {
        List<CompletableFuture<PrepareResult>> answers = new ArrayList<>(batch.size());
        batch.forEach(item -> answers.add(new CompletableFuture<>()));
        volumes.async(address)
                .withDeadlineAfter(DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
                .prepareBatch(request(batch), new StreamObserver<>() {
                    private PrepareBatchResponse response;

                    @Override
                    public void onNext(PrepareBatchResponse value) {
                        response = value;
                    }

                    @Override
                    public void onError(Throwable t) {
                        complete(
                                answers,
                                failed(address, batch, Status.fromThrowable(t).asRuntimeException()));
                    }

                    @Override
                    public void onCompleted() {
                        complete(answers, results(batch, response));
                    }
                });
        return answers;
    }

    private static void complete(List<CompletableFuture<PrepareResult>> answers, List<PrepareResult> results) {
        for (int i = 0; i < answers.size(); i++) {
            answers.get(i).complete(results.get(i));
        }
    }

    private static PrepareBatchRequest request(List<Item> batch) {
        PrepareBatchRequest.Builder request = PrepareBatchRequest.newBuilder();
        for (Item item : batch) {
            switch (item) {
                case Prepare prepare -> request.addValues(prepare.value());
                case Commit commit -> request.addCommits(commit.commit());
            }
        }
        return request.build();
    }

    private static List<PrepareResult> results(List<Item> batch, PrepareBatchResponse response) {
        List<PrepareResult> results = new ArrayList<>(batch.size());
        int prepared = 0;
        int committed = 0;
        for (Item item : batch) {
            BatchItemResult result =
                    item instanceof Prepare ? response.getResults(prepared++) : response.getCommitResults(committed++);
            results.add(result.getOk() ? PrepareResult.PREPARED : PrepareResult.FAILED);
        }
        return results;
    }

    private static List<PrepareResult> failed(String address, List<Item> batch, StatusRuntimeException e) {
        LOG.debug("a batch of {} prepares and commits on {} failed: {}", batch.size(), address, e.getStatus());
        PrepareResult each = e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED
                ? PrepareResult.TIMED_OUT
                : PrepareResult.FAILED;
        return Collections.nCopies(batch.size(), each);
    }

    void close() {
        executor.close();
    }
}
