package io.minikv.coordinator;

import com.google.protobuf.InvalidProtocolBufferException;
import io.minikv.proto.v1.MetadataCommand;
import io.minikv.proto.v1.MetadataResult;
import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.SnapshotManagementRequest;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinators' replicated state machine: Raft log entries are {@link MetadataCommand}s applied
 * to a {@link MetadataState}; read-only {@link MetadataQuery}s are answered from it. Snapshots are
 * {@link MetadataSnapshot} files in Ratis' single-file layout ({@code snapshot.TERM_INDEX} with an
 * MD5 beside it), so that Ratis purges the log behind them and sends them to a coordinator that is
 * too far behind (a new member catches up that way).
 */
final class MetadataStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataStateMachine.class);
    private static final long SNAPSHOT_REQUEST_TIMEOUT_MILLIS = 60_000;

    private final MetadataState state = new MetadataState();
    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    /** Whether a snapshot was loaded, taken or installed; see {@link #getLatestSnapshot}. */
    private volatile boolean hasSnapshot;

    private final SnapshotTrigger snapshotTrigger;
    private final ClientId snapshotRequester = ClientId.randomId();
    private final AtomicLong snapshotCalls = new AtomicLong();
    private final SnapshotWriter snapshots =
            new SnapshotWriter(this::writeSnapshot, this::publish, this::askForSnapshot);

    /** @param snapshotMinWrites see {@link CoordinatorConfig#snapshotMinWrites} */
    MetadataStateMachine(long snapshotMinWrites) {
        this.snapshotTrigger = new SnapshotTrigger(snapshotMinWrites);
    }

    MetadataState state() {
        return state;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        load(storage.loadLatestSnapshot());
        getLifeCycle().transition(LifeCycle.State.STARTING);
        getLifeCycle().transition(LifeCycle.State.RUNNING);
    }

    /**
     * Ratis pauses the state machine before it installs a snapshot sent by the leader, and checks
     * that it is paused before {@link #reinitialize} loads it.
     */
    @Override
    public void pause() {
        if (getLifeCycleState() == LifeCycle.State.RUNNING) {
            getLifeCycle().transition(LifeCycle.State.PAUSING);
            getLifeCycle().transition(LifeCycle.State.PAUSED);
        }
    }

    /** Loads the snapshot that was just installed, replacing the whole state, and runs again. */
    @Override
    public void reinitialize() throws IOException {
        load(storage.loadLatestSnapshot());
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    /**
     * Ratis asks for the latest snapshot on every append. The storage answers from memory once a
     * snapshot exists, but while none does it lists the directory each time (7% of a follower's CPU
     * under load); until one is loaded, taken or installed (then {@link #reinitialize} loads it), the
     * answer is known to be none.
     */
    @Override
    public SnapshotInfo getLatestSnapshot() {
        return hasSnapshot ? storage.getLatestSnapshot() : null;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        MetadataResult result;
        try {
            MetadataCommand command = MetadataCommand.parseFrom(
                    entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
            result = command.hasCommitWrites()
                    ? MetadataResult.newBuilder()
                            .addAllOutcomes(state.applyWrites(command.getCommitWrites(), entry.getTerm()))
                            .build()
                    : MetadataResult.newBuilder()
                            .setOutcome(state.apply(command, entry.getTerm()))
                            .build();
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            // Every coordinator refuses the same bad entry the same way; the state stays identical.
            LOG.error("log entry {} is not a metadata command: {}", entry.getIndex(), e.toString());
            result = MetadataResult.newBuilder()
                    .setOutcome(MetadataResult.Outcome.NOT_FOUND)
                    .build();
        }
        updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        if (snapshotTrigger.applied(Math.max(1, result.getOutcomesCount()), state.keyCount())) {
            requestSnapshot();
        }
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(result.toByteArray())));
    }

    /**
     * Asks this coordinator's own server for a snapshot ({@link SnapshotTrigger}); Ratis then asks
     * {@link #takeSnapshot} on the apply thread, between two entries.
     */
    private void requestSnapshot() {
        askForSnapshot().whenComplete((reply, failure) -> snapshotTrigger.answered());
    }

    /**
     * Asks this coordinator's own server for a snapshot: for the trigger, or once a snapshot is
     * durable, so that Ratis learns of it from {@link #takeSnapshot} and purges the log behind it
     * (if that fails, the next request reports it).
     */
    private CompletableFuture<RaftClientReply> askForSnapshot() {
        return getServer()
                .thenCompose(server -> server.snapshotManagementAsync(SnapshotManagementRequest.newCreate(
                        snapshotRequester,
                        server.getId(),
                        getGroupId(),
                        snapshotCalls.incrementAndGet(),
                        SNAPSHOT_REQUEST_TIMEOUT_MILLIS,
                        1)))
                .whenComplete((reply, failure) -> {
                    if (failure != null || !reply.isSuccess()) {
                        LOG.warn(
                                "the metadata snapshot asked for was not taken: {}",
                                failure != null ? failure.toString() : reply.getException());
                    }
                });
    }

    /**
     * A read barrier ({@link RaftNode#readBarrier}): Ratis calls this once the read index is applied,
     * and the reader then reads the state itself.
     */
    @Override
    public CompletableFuture<Message> query(Message request) {
        return CompletableFuture.completedFuture(Message.EMPTY);
    }

    /**
     * Freezes the state as of the last applied entry and writes it in the background ({@link
     * SnapshotWriter}); answers the index of a snapshot written since the last call, or none.
     */
    @Override
    public long takeSnapshot() {
        return snapshots.take(getLastAppliedTermIndex(), this::freeze);
    }

    private MetadataImage freeze() {
        snapshotTrigger.taken();
        return state.image();
    }

    /** Writes a snapshot file: under a temporary name, synced, then renamed, with its MD5 beside it. */
    private SingleFileSnapshotInfo writeSnapshot(MetadataImage image, TermIndex at) throws IOException {
        File file = storage.getSnapshotFile(at.getTerm(), at.getIndex());
        Path temporary = file.toPath().resolveSibling("tmp-" + file.getName());
        try (FileChannel channel = FileChannel.open(
                temporary, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            MetadataSnapshot.write(image, Channels.newOutputStream(channel));
            channel.force(true);
        }
        Files.move(temporary, file.toPath(), StandardCopyOption.ATOMIC_MOVE);
        MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
        return new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), at);
    }

    private void publish(SingleFileSnapshotInfo snapshot) {
        storage.updateLatestSnapshot(snapshot);
        hasSnapshot = true;
    }

    /** Waits for a snapshot being written, so that the next start finds it whole or not at all. */
    @Override
    public void close() throws IOException {
        snapshots.close();
        super.close();
    }

    private void load(SingleFileSnapshotInfo snapshot) throws IOException {
        if (snapshot == null) {
            return;
        }
        hasSnapshot = true;
        File file = snapshot.getFile().getPath().toFile();
        MD5Hash expected = snapshot.getFile().getFileDigest();
        if (expected != null) {
            MD5FileUtil.verifySavedMD5(file, expected);
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file.toPath()))) {
            MetadataSnapshot.read(in, state);
        }
        setLastAppliedTermIndex(snapshot.getTermIndex());
        snapshots.loaded(snapshot.getIndex());
        LOG.info("loaded metadata snapshot at index {}: {} keys", snapshot.getIndex(), state.keyCount());
    }
}
