package io.minikv.coordinator;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minikv.proto.v1.BatchItemResult;
import io.minikv.proto.v1.CommitBatchRequest;
import io.minikv.proto.v1.CommitRequest;
import io.minikv.proto.v1.PrepareBatchRequest;
import io.minikv.proto.v1.PrepareBatchResponse;
import io.minikv.proto.v1.SmallValue;
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
 * The leader's calls to volumes for small writes, batched per volume ({@link GroupCommit}): the
 * prepares of whole values of at most {@link #SMALL_VALUE} bytes go in {@code PrepareBatch} calls,
 * and every commit in {@code CommitBatch} calls, so that concurrent writes share round trips and the
 * volumes' disk syncs.
 */
final class VolumeBatches {
    /** The largest value prepared in a batch: the volume's inline limit. */
    static final int SMALL_VALUE = 32 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(VolumeBatches.class);
    /** Per batch: values, and their bytes (the volume takes messages of up to 1 MiB). */
    private static final int MAX_VALUES = 64;

    private static final int MAX_BYTES = 512 * 1024;
    private static final int MAX_COMMITS = 256;
    /** Batches running at once per volume: one is sent while the previous one syncs. */
    private static final int IN_FLIGHT = 1;

    private static final long PREPARE_DEADLINE_MILLIS = 10_000;
    private static final long COMMIT_DEADLINE_MILLIS = 5_000;

    private final VolumeClients volumes;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ConcurrentHashMap<String, GroupCommit<SmallValue, PrepareResult>> prepares =
            new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, GroupCommit<CommitRequest, Boolean>> commits = new ConcurrentHashMap<>();

    VolumeBatches(VolumeClients volumes) {
        this.volumes = volumes;
    }

    /** Prepares {@code value} on the volume at {@code grpcAddress}, in the next batch for that volume. */
    CompletableFuture<PrepareResult> prepare(String grpcAddress, SmallValue value) {
        return prepares.computeIfAbsent(
                        grpcAddress,
                        address -> new GroupCommit<>(
                                MAX_VALUES,
                                MAX_BYTES,
                                IN_FLIGHT,
                                v -> v.getData().size(),
                                batch -> prepareBatch(address, batch),
                                executor))
                .submit(value);
    }

    /**
     * Commits on the volume at {@code grpcAddress}, in the next batch for that volume, without waiting:
     * a lost commit is found and redone by the {@link TransactionResolver}.
     */
    void commit(String grpcAddress, CommitRequest commit) {
        commits.computeIfAbsent(
                        grpcAddress,
                        address -> new GroupCommit<>(
                                MAX_COMMITS,
                                Integer.MAX_VALUE,
                                IN_FLIGHT,
                                c -> 1,
                                batch -> commitBatch(address, batch),
                                executor))
                .submit(commit);
    }

    private List<PrepareResult> prepareBatch(String address, List<SmallValue> values) {
        try {
            PrepareBatchResponse response = volumes.blocking(address)
                    .withDeadlineAfter(PREPARE_DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
                    .prepareBatch(PrepareBatchRequest.newBuilder()
                            .addAllValues(values)
                            .build());
            return response.getResultsList().stream()
                    .map(result -> result.getOk() ? PrepareResult.PREPARED : PrepareResult.FAILED)
                    .toList();
        } catch (StatusRuntimeException e) {
            LOG.debug("a batch of {} prepares on {} failed: {}", values.size(), address, e.getStatus());
            PrepareResult each = e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED
                    ? PrepareResult.TIMED_OUT
                    : PrepareResult.FAILED;
            return Collections.nCopies(values.size(), each);
        }
    }

    private List<Boolean> commitBatch(String address, List<CommitRequest> batch) {
        try {
            return volumes
                    .blocking(address)
                    .withDeadlineAfter(COMMIT_DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
                    .commitBatch(
                            CommitBatchRequest.newBuilder().addAllCommits(batch).build())
                    .getResultsList()
                    .stream()
                    .map(BatchItemResult::getOk)
                    .toList();
        } catch (StatusRuntimeException e) {
            LOG.debug("a batch of {} commits on {} failed: {}", batch.size(), address, e.getStatus());
            return Collections.nCopies(batch.size(), false);
        }
    }

    void close() {
        executor.close();
    }
}
