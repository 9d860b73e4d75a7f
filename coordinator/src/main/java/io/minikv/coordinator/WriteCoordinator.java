package io.minikv.coordinator;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import io.minikv.proto.BlobKeys;
import io.minikv.proto.MinikvException;
import io.minikv.proto.Shards;
import io.minikv.proto.StreamHeads;
import io.minikv.proto.v1.AbortRequest;
import io.minikv.proto.v1.BlobMetadata;
import io.minikv.proto.v1.CommitRequest;
import io.minikv.proto.v1.CommitWrite;
import io.minikv.proto.v1.CommitWrites;
import io.minikv.proto.v1.DeleteKey;
import io.minikv.proto.v1.DeleteRequest;
import io.minikv.proto.v1.KeyState;
import io.minikv.proto.v1.MetadataCommand;
import io.minikv.proto.v1.MetadataResult.Outcome;
import io.minikv.proto.v1.PrepareHeader;
import io.minikv.proto.v1.SmallValue;
import io.minikv.proto.v1.VolumeState;
import io.minikv.volume.Precondition;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's side of writes and deletions (DESIGN.md §3): picks the replicas, prepares on them
 * in parallel, commits the metadata through Raft at the commit point, then commits or aborts on the
 * volumes. Writes to one key run one at a time, in version order. Transactions in progress are
 * tracked so that the {@link TransactionResolver} never aborts a write that may still commit.
 */
final class WriteCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(WriteCoordinator.class);
    private static final long VOLUME_CALL_MILLIS = 5_000;
    /**
     * Streamed writes prepared at once. More wait their turn here rather than being refused by the
     * volumes, whose upload slots (64 by default) they would otherwise exhaust.
     */
    static final int MAX_CONCURRENT_WRITES = 48;
    /**
     * Small writes prepared at once. They hold at most {@link VolumeBatches#SMALL_VALUE} bytes each
     * (32 MiB in all) and a batch takes one upload slot, so many more may run: the more wait for a
     * batch, the fewer calls and syncs each write costs.
     */
    static final int MAX_CONCURRENT_SMALL_WRITES = 1024;

    private static final long QUEUE_TIMEOUT_SECONDS = 30;
    /** Raft entries of writes appended at once: one is replicated while the next fills up. */
    private static final int ENTRIES_IN_FLIGHT = 1;
    /**
     * Once the write quorum of a small write prepared, how long at least the other replicas get to
     * answer before the write commits without them ({@link QuorumWait}).
     */
    private static final long STRAGGLER_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
    private static final int MAX_CONTENT_TYPE = 1024;

    /** A committed write. */
    record Written(String key, long version, long size, String etag, List<String> replicas) {}

    private final RaftNode raft;
    private final MetadataState state;
    private final VolumeClients volumes;
    private final PrepareFanOut fanOut;
    private final CoordinatorConfig config;
    private final CoordinatorMetrics metrics;
    private final ValueCache cache;
    private final ReentrantLock[] keyLocks = new ReentrantLock[4096];
    private final Semaphore writeSlots = new Semaphore(MAX_CONCURRENT_WRITES, true);
    private final Semaphore smallWriteSlots = new Semaphore(MAX_CONCURRENT_SMALL_WRITES, true);
    /** Versions (= transaction ids) whose outcome this leader has not settled yet. */
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    /** Writes committed with fewer replicas than N, which the {@link Repairer} then has work for. */
    private final AtomicLong shortCommits = new AtomicLong();

    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
    private final VolumeBatches batches;
    /** Commit points of concurrent streamed writes share Raft entries ({@code CommitWrites}). */
    private final GroupCommit<CommitWrite, Outcome> metadataCommits;
    /** Small writes run in rounds: prepares and commit points, each shared by the round's writes. */
    private final SmallWriteRounds rounds;

    private long versionTerm = -1;
    private long versionCounter;

    WriteCoordinator(
            RaftNode raft,
            MetadataState state,
            VolumeClients volumes,
            CoordinatorConfig config,
            CoordinatorMetrics metrics,
            ValueCache cache) {
        this.raft = raft;
        this.cache = cache;
        this.state = state;
        this.volumes = volumes;
        this.fanOut = new PrepareFanOut(volumes);
        this.batches = new VolumeBatches(volumes);
        this.metadataCommits = new GroupCommit<>(
                SmallWriteRounds.MAX_WRITES,
                Integer.MAX_VALUE,
                ENTRIES_IN_FLIGHT,
                w -> 1,
                this::commitPoints,
                background,
                GroupCommit.Linger.NONE);
        this.rounds = new SmallWriteRounds(
                batches::prepareAll, this::commitPoints, config.writeQuorum(), STRAGGLER_GRACE_NANOS, background);
        this.config = config;
        this.metrics = metrics;
        metrics.watch(rounds);
        for (int i = 0; i < keyLocks.length; i++) {
            keyLocks[i] = new ReentrantLock();
        }
    }

    boolean inFlight(long transactionId) {
        return inFlight.contains(transactionId);
    }

    /**
     * Writes a new version of {@code key} from {@code body}; {@code length} is -1 when unknown, and a
     * blank {@code contentType} stands for {@value #DEFAULT_CONTENT_TYPE}.
     *
     * @throws MinikvException.Unavailable with no leadership, too few live volumes or too few prepared replicas
     * @throws MinikvException.PreconditionFailed when {@code precondition} does not hold at the commit point
     */
    Written put(String key, InputStream body, long length, String contentType, Precondition precondition)
            throws IOException {
        checkKey(key);
        if (contentType.length() > MAX_CONTENT_TYPE) {
            throw new MinikvException.InvalidArgument(
                    "the content type is longer than " + MAX_CONTENT_TYPE + " characters");
        }
        String type = contentType.isBlank() ? DEFAULT_CONTENT_TYPE : contentType;
        if (length > config.maxBlobSize()) {
            throw new MinikvException.TooLarge(
                    "value of " + length + " bytes exceeds the limit of " + config.maxBlobSize() + " bytes");
        }
        // A value known, or found, to be small goes in batches; the rest streams.
        byte[] small = null;
        InputStream rest = body;
        if (length >= 0 && length <= VolumeBatches.SMALL_VALUE) {
            small = body.readNBytes((int) length);
        } else if (length < 0) {
            byte[] head = StreamHeads.read(body, VolumeBatches.SMALL_VALUE + 1);
            if (head.length <= VolumeBatches.SMALL_VALUE) {
                small = head;
            } else {
                rest = new SequenceInputStream(new ByteArrayInputStream(head), body);
            }
        }
        long start = System.nanoTime();
        Semaphore slots = small != null ? smallWriteSlots : writeSlots;
        takeWriteSlot(slots);
        ReentrantLock lock = lock(key);
        try {
            requireLeader();
            checkPrecondition(precondition, state.key(key).orElse(null));
            List<VolumeState> chosen = chooseReplicas(key);
            long version = nextVersion();
            inFlight.add(version);
            boolean settled = true;
            try {
                PrepareHeader header = PrepareHeader.newBuilder()
                        .setTransactionId(version)
                        .setMetadata(BlobMetadata.newBuilder()
                                .setKey(key)
                                .setVersion(version)
                                .setContentType(type)
                                .setCreatedAtMillis(System.currentTimeMillis()))
                        .build();
                List<PrepareFanOut.Target> targets = chosen.stream()
                        .map(v -> new PrepareFanOut.Target(v.getVolumeId(), v.getGrpcAddress()))
                        .toList();
                List<String> chosenIds = PrepareFanOut.Target.volumeIds(targets);
                SmallValue value = null;
                PrepareFanOut.Outcome streamed = null;
                long size;
                String etag;
                if (small != null) {
                    size = small.length;
                    etag = PrepareFanOut.etag(small);
                    value = SmallValue.newBuilder()
                            .setHeader(header)
                            .setData(ByteString.copyFrom(small))
                            .setEtag(etag)
                            .build();
                } else {
                    streamed = fanOut.run(targets, header, rest, config.maxBlobSize());
                    size = streamed.size();
                    etag = streamed.etag();
                }
                CommitWrite entry = commitPoint(header, size, etag, precondition);
                CommitPointResult result;
                try {
                    result = value != null
                            ? rounds.write(new SmallWriteRounds.Write(targets, value, entry))
                            : commitStreamed(chosenIds, streamed, entry);
                    if (result.unknown() != null) {
                        throw result.unknown();
                    }
                } catch (MinikvException.Unavailable e) {
                    // The write's entry may still commit in this term: leave the transaction to the resolver.
                    settled = false;
                    metrics.write("unknown");
                    throw new MinikvException.Unavailable("the outcome of the write is unknown: " + e.getMessage());
                }
                if (result.decision() instanceof WriteDecision.Abort abort) {
                    abortOn(abort.abortOn(), version);
                    metrics.write("aborted");
                    throw new MinikvException.Unavailable("only " + abort.prepared() + " of " + chosenIds.size()
                            + " replicas stored the value; the write quorum is " + abort.writeQuorum());
                }
                WriteDecision.Commit commit = (WriteDecision.Commit) result.decision();
                switch (result.outcome()) {
                    case APPLIED -> {}
                    case PRECONDITION_FAILED -> {
                        abortOn(chosenIds, version);
                        metrics.write("precondition_failed");
                        throw new MinikvException.PreconditionFailed("the precondition does not hold for " + key);
                    }
                    default -> {
                        abortOn(chosenIds, version);
                        metrics.write("aborted");
                        throw new MinikvException.Unavailable("leadership changed during the write; retry");
                    }
                }
                if (small == null) {
                    // A small write's Commits go in the next round ({@link SmallWriteRounds}).
                    commitOn(commit.replicas(), key, version);
                }
                abortOn(commit.abortOn(), version);
                if (commit.replicas().size() < config.replicas()) {
                    shortCommits.incrementAndGet();
                }
                if (small != null) {
                    cache.put(key, version, small);
                }
                metrics.write("committed");
                return new Written(key, version, size, etag, commit.replicas());
            } finally {
                if (settled) {
                    inFlight.remove(version);
                }
            }
        } finally {
            lock.unlock();
            slots.release();
            metrics.writeLatency(System.nanoTime() - start);
        }
    }

    /** The commit point of a write whose value the replicas hold as {@code size} bytes with {@code etag}, less its replicas. */
    private static CommitWrite commitPoint(PrepareHeader header, long size, String etag, Precondition precondition) {
        BlobMetadata metadata = header.getMetadata();
        return CommitWrite.newBuilder()
                .setKey(metadata.getKey())
                .setVersion(metadata.getVersion())
                .setTransactionId(header.getTransactionId())
                .setSize(size)
                .setEtag(etag)
                .setContentType(metadata.getContentType())
                .setCreatedAtMillis(metadata.getCreatedAtMillis())
                .setPrecondition(Preconditions.toProto(precondition))
                .build();
    }

    /**
     * The commit point of a streamed write, in the next Raft entry of such writes, when its replicas
     * prepared on the write quorum.
     *
     * @throws MinikvException.Unavailable when the entry's outcome is unknown
     */
    private CommitPointResult commitStreamed(List<String> chosen, PrepareFanOut.Outcome prepared, CommitWrite entry) {
        WriteDecision decision = WriteDecision.decide(chosen, prepared.answers(), config.writeQuorum());
        if (!(decision instanceof WriteDecision.Commit commit)) {
            return new CommitPointResult(decision, null, null);
        }
        Outcome outcome = metadataCommits.await(
                entry.toBuilder().addAllReplicas(commit.replicas()).build(), "the commit point");
        return new CommitPointResult(decision, outcome, null);
    }

    /** One Raft entry for a batch of commit points: a lone write keeps its own {@code CommitWrite} entry. */
    private List<Outcome> commitPoints(List<CommitWrite> writes) {
        if (writes.size() == 1) {
            return List.of(raft.submit(MetadataCommand.newBuilder()
                    .setCommitWrite(writes.getFirst())
                    .build()));
        }
        List<Outcome> outcomes = raft.submitForResult(MetadataCommand.newBuilder()
                        .setCommitWrites(CommitWrites.newBuilder().addAllWrites(writes))
                        .build())
                .getOutcomesList();
        if (outcomes.size() != writes.size()) {
            throw new MinikvException.Unavailable(
                    "the metadata answered " + outcomes.size() + " outcomes for " + writes.size() + " writes");
        }
        return outcomes;
    }

    private static void takeWriteSlot(Semaphore slots) {
        try {
            if (!slots.tryAcquire(QUEUE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new MinikvException.Unavailable("too many writes in progress; retry");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MinikvException.Unavailable("interrupted while waiting to write");
        }
    }

    /**
     * Deletes {@code key}: a Raft entry tombstones it, then its replicas are told to delete the data
     * (in the background; repair collects what they miss). Returns false when there was nothing to delete.
     */
    boolean delete(String key) {
        checkKey(key);
        ReentrantLock lock = lock(key);
        try {
            requireLeader();
            Optional<KeyState> before = state.key(key);
            if (before.isEmpty() || before.get().getDeleted()) {
                return false;
            }
            long version = nextVersion();
            Outcome outcome;
            try {
                outcome = raft.submit(MetadataCommand.newBuilder()
                        .setDeleteKey(DeleteKey.newBuilder().setKey(key).setVersion(version))
                        .build());
            } catch (MinikvException.Unavailable e) {
                throw new MinikvException.Unavailable("the outcome of the deletion is unknown: " + e.getMessage());
            }
            switch (outcome) {
                case APPLIED -> {
                    deleteOn(before.get().getReplicasList(), key, version);
                    return true;
                }
                case NOT_FOUND -> {
                    return false;
                }
                default -> throw new MinikvException.Unavailable("leadership changed during the deletion; retry");
            }
        } finally {
            lock.unlock();
        }
    }

    private void requireLeader() {
        if (!raft.isLeaderReady()) {
            throw new MinikvException.Unavailable("this coordinator is not the leader");
        }
    }

    private static void checkKey(String key) {
        String problem = BlobKeys.problem(key);
        if (problem != null) {
            throw new MinikvException.InvalidArgument(problem);
        }
    }

    /** Fails early, before any byte is uploaded; the commit point checks again. */
    private static void checkPrecondition(Precondition precondition, KeyState current) {
        boolean exists = current != null && !current.getDeleted();
        boolean holds = switch (precondition) {
            case Precondition.None ignored -> true;
            case Precondition.IfAbsent ignored -> !exists;
            case Precondition.IfMatch(String etag) ->
                exists && current.getEtag().equals(etag);
        };
        if (!holds) {
            throw new MinikvException.PreconditionFailed("the precondition does not hold");
        }
    }

    /** The key's replicas: the first N live volumes in rendezvous order for its shard. */
    private List<VolumeState> chooseReplicas(String key) {
        Map<String, VolumeState> up = new java.util.HashMap<>();
        for (VolumeState volume : state.volumes()) {
            if (volume.getUp()) {
                up.put(volume.getVolumeId(), volume);
            }
        }
        if (up.size() < config.writeQuorum()) {
            throw new MinikvException.Unavailable(up.size() + " volumes are up; a write needs " + config.writeQuorum());
        }
        List<VolumeState> chosen = new ArrayList<>();
        for (String id : Placement.replicas(Shards.of(key), up.keySet(), config.replicas())) {
            chosen.add(up.get(id));
        }
        return chosen;
    }

    /** How many writes this coordinator has committed with fewer replicas than N; only grows. */
    long shortCommits() {
        return shortCommits.get();
    }

    /** The last version this coordinator chose as leader, or 0 before its first. */
    synchronized long lastChosenVersion() {
        return versionCounter == 0 ? 0 : Versions.of(versionTerm, versionCounter);
    }

    private synchronized long nextVersion() {
        long term = raft.term();
        if (term != versionTerm) {
            versionTerm = term;
            versionCounter = 0;
        }
        return Versions.of(term, ++versionCounter);
    }

    /** The key's stripe of the write locks, locked. Keys sharing a stripe wait for each other; 4096 keep that rare. */
    private ReentrantLock lock(String key) {
        ReentrantLock lock = keyLocks[Math.floorMod(key.hashCode(), keyLocks.length)];
        lock.lock();
        return lock;
    }

    /**
     * Sends Commit to every replica without waiting: the metadata is the commit point, and a read
     * that reaches a replica before its Commit has it committed there first ({@link BlobReader}).
     */
    private void commitOn(List<String> replicas, String key, long version) {
        CommitRequest commit =
                CommitRequest.newBuilder().setTransactionId(version).setKey(key).build();
        for (String id : replicas) {
            state.volume(id).ifPresent(volume -> batches.commit(volume.getGrpcAddress(), commit));
        }
    }

    private void abortOn(List<String> replicas, long version) {
        for (String id : replicas) {
            background.execute(() -> call(
                    id,
                    "abort",
                    address -> volumes.blocking(address)
                            .withDeadlineAfter(VOLUME_CALL_MILLIS, TimeUnit.MILLISECONDS)
                            .abort(AbortRequest.newBuilder()
                                    .setTransactionId(version)
                                    .build())));
        }
    }

    private void deleteOn(List<String> replicas, String key, long version) {
        for (String id : replicas) {
            background.execute(() -> call(
                    id,
                    "delete",
                    address -> volumes.blocking(address)
                            .withDeadlineAfter(VOLUME_CALL_MILLIS, TimeUnit.MILLISECONDS)
                            .delete(DeleteRequest.newBuilder()
                                    .setKey(key)
                                    .setVersion(version)
                                    .build())));
        }
    }

    /**
     * One call to a volume whose failure is repaired later (a lost Commit or Abort is resolved by the
     * {@link TransactionResolver}, a lost Delete by repair); it is logged, not thrown.
     */
    private void call(String volumeId, String what, java.util.function.Consumer<String> action) {
        Optional<VolumeState> volume = state.volume(volumeId);
        if (volume.isEmpty()) {
            return;
        }
        try {
            action.accept(volume.get().getGrpcAddress());
        } catch (StatusRuntimeException e) {
            LOG.debug("{} on volume {} failed: {}", what, volumeId, e.getStatus());
        }
    }

    void close() {
        batches.close();
        background.close();
    }
}
