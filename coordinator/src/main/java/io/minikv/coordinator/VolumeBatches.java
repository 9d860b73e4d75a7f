package io.minikv.coordinator;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
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
 * The leader's batched calls to volumes ({@link GroupCommit}, one queue per volume): the prepares of
 * whole values of at most {@link #SMALL_VALUE} bytes and the commits of every write go in {@code
 * PrepareBatch} calls, so that concurrent writes share round trips and the volumes' disk syncs. The
 * prepares of a round of small writes go in together with the previous round's commits ({@link
 * SmallWriteRounds}); a streamed write's commit rides in the next batch for its volume, or in a
 * batch of its own that starts at once.
 */
final class VolumeBatches {
    /** The largest value prepared in a batch: the volume's inline limit. */
    static final int SMALL_VALUE = 32 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(VolumeBatches.class);
    /** Per batch: items, and their bytes (the volume takes messages of up to 1 MiB). */
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
     * Sends {@code commits} (as {@link #commit} does) and prepares {@code values} on the volume at {@code
     * grpcAddress}, queued together so that they share a batch; a future per value, in order.
     */
    List<CompletableFuture<PrepareResult>> prepareAll(
            String grpcAddress, List<CommitRequest> commits, List<SmallValue> values) {
        List<Item> items = new ArrayList<>(commits.size() + values.size());
        commits.forEach(commit -> items.add(new Commit(commit)));
        values.forEach(value -> items.add(new Prepare(value)));
        List<CompletableFuture<PrepareResult>> results = batches(grpcAddress).submitAll(items);
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
        PrepareBatchRequest.Builder request = PrepareBatchRequest.newBuilder();
        for (Item item : batch) {
            switch (item) {
                case Prepare prepare -> request.addValues(prepare.value());
                case Commit commit -> request.addCommits(commit.commit());
            }
        }
        PrepareBatchResponse response;
        try {
            response = volumes.blocking(address)
                    .withDeadlineAfter(DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
                    .prepareBatch(request.build());
        } catch (StatusRuntimeException e) {
            LOG.debug("a batch of {} prepares and commits on {} failed: {}", batch.size(), address, e.getStatus());
            PrepareResult each = e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED
                    ? PrepareResult.TIMED_OUT
                    : PrepareResult.FAILED;
            return Collections.nCopies(batch.size(), each);
        }
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

    void close() {
        executor.close();
    }
}
