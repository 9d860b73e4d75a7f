package io.minikv.volume;

import io.minikv.proto.BlobKeys;
import io.minikv.proto.MinikvException;
import io.minikv.proto.StreamHeads;
import io.minikv.storage.CompactionResult;
import io.minikv.storage.CorruptRecordException;
import io.minikv.storage.Store;
import io.minikv.storage.StoreOptions;
import io.minikv.storage.StoreStats;
import io.minikv.storage.ValueStream;
import io.minikv.storage.ValueTooLargeException;
import io.minikv.storage.WriteBatch;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A volume's blobs on top of the storage engine (docs/volume-format.md).
 *
 * <p>Every write is a transaction in two steps. Prepare stores the data durably but invisibly:
 * small data inline in a marker record, larger data in a record of its own, named by the
 * transaction id, with the marker written first so that a crash mid-upload leaves a marker that
 * open cleans up rather than an orphan. Commit makes the version visible by writing the pointer
 * record under the blob's own key; only then are the marker and the previous version's data
 * deleted. A single-node PUT runs both steps at once; in a cluster, coordinators run them apart.
 *
 * <p>Versions only go forward: a commit older than the committed version is ignored, and a deletion
 * in a cluster leaves a DELETED pointer carrying its version for the same reason.
 */
public final class BlobStore implements Closeable {
    /** Data up to this size travels inside the marker and pointer records instead of a record of its own. */
    static final int INLINE_LIMIT = 32 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(BlobStore.class);
    private static final byte[] DATA_PREFIX = {0, 'd'};
    private static final byte[] MARKER_PREFIX = {0, 'p'};
    /** User keys have no control characters, so every one sorts after this. */
    private static final byte[] BEFORE_USER_KEYS = {0x1F};

    private final Store store;
    private final long maxBlobSize;
    private final KeyLocks locks = new KeyLocks(1024);
    private final ConcurrentHashMap<Long, BlobRecord> prepared = new ConcurrentHashMap<>();

    private BlobStore(Store store, long maxBlobSize) {
        this.store = store;
        this.maxBlobSize = maxBlobSize;
    }

    /** Opens the blob store in {@code directory}, resolving what a crash left of prepared writes. */
    public static BlobStore open(Path directory, StoreOptions options, long maxBlobSize) throws IOException {
        if (maxBlobSize > StoreOptions.MAX_VALUE_SIZE_LIMIT) {
            throw new IllegalArgumentException("max blob size is at most " + StoreOptions.MAX_VALUE_SIZE_LIMIT);
        }
        Store store = Store.open(directory, options.withMaxValueSize((int) Math.max(maxBlobSize, INLINE_LIMIT * 2L)));
        BlobStore blobs = new BlobStore(store, maxBlobSize);
        try {
            blobs.loadPrepared();
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
        return blobs;
    }

    public long maxBlobSize() {
        return maxBlobSize;
    }

    /**
     * Stores a new version of {@code key} on this volume alone (single-node mode): the version
     * number is the current one plus one.
     *
     * @param length bytes to read from {@code data}, or -1 to read to its end
     * @throws MinikvException.PreconditionFailed when {@code precondition} does not hold
     * @throws MinikvException.TooLarge when the data exceeds the limit
     * @throws MinikvException.InvalidArgument for a bad key or data shorter than {@code length}
     */
    public BlobInfo put(String key, InputStream data, long length, String contentType, Precondition precondition)
            throws IOException {
        checkKey(key);
        checkLength(length);
        if (!precondition.holds(current(key))) {
            throw new MinikvException.PreconditionFailed("precondition failed for " + key);
        }
        long transactionId = newTransactionId();
        BlobRecord staged =
                stage(transactionId, new BlobInfo(key, 0, length, null, contentType, now()), data, length, false);
        ReentrantLock lock = locks.of(key);
        lock.lock();
        BlobRecord previous;
        BlobInfo committed;
        try {
            BlobRecord pointer = pointer(key);
            BlobInfo current = pointer != null && pointer.kind() == BlobRecord.Kind.COMMITTED ? pointer.info() : null;
            if (!precondition.holds(current)) {
                discard(staged);
                throw new MinikvException.PreconditionFailed("precondition failed for " + key);
            }
            long version = pointer == null ? 1 : pointer.info().version() + 1;
            committed = withVersion(staged.info(), version);
            writePointer(new BlobRecord(BlobRecord.Kind.COMMITTED, committed, transactionId, staged.inlineData()));
            previous = pointer;
        } finally {
            lock.unlock();
        }
        cleanUpAfterCommit(staged, previous);
        return committed;
    }

    /**
     * Phase one of a cluster write: stores the data of {@code expected} durably, not yet visible.
     * The data must have exactly {@code expected.size()} bytes and MD5 {@code expected.etag()}.
     *
     * @throws MinikvException.Conflict when the transaction id is already in use
     * @throws MinikvException.InvalidArgument when the data does not match its declared size or etag
     */
    public BlobInfo prepare(long transactionId, BlobInfo expected, InputStream data) throws IOException {
        checkNewTransaction(transactionId, expected);
        BlobRecord staged = stage(transactionId, expected, data, expected.size(), true);
        MinikvException mismatch = etagMismatch(expected, staged.info());
        if (mismatch != null) {
            discard(staged);
            throw mismatch;
        }
        return staged.info();
    }

    /** The checks of a prepare before any of its data is stored. */
    private void checkNewTransaction(long transactionId, BlobInfo expected) {
        checkKey(expected.key());
        checkLength(expected.size());
        if (expected.version() <= 0) {
            throw new MinikvException.InvalidArgument("version must be positive");
        }
        if (prepared.containsKey(transactionId) || store.contains(dataKey(transactionId))) {
            throw new MinikvException.Conflict("transaction " + transactionId + " already exists");
        }
    }

    /** Why the stored data does not match the declared etag, or null when it does (or none was declared). */
    private static MinikvException etagMismatch(BlobInfo expected, BlobInfo stored) {
        if (expected.etag() == null || expected.etag().equals(stored.etag())) {
            return null;
        }
        return new MinikvException.InvalidArgument(
                "checksum mismatch: declared etag " + expected.etag() + ", data has " + stored.etag());
    }

    /**
     * Phase one for many small values and phase two for many transactions in one engine write
     * ({@link WriteBatch}): one call, one sync and one thread for the whole batch. Each value is
     * prepared as {@link #prepare} prepares it and each commit runs as {@link #commit} does, in order;
     * an item that fails does not stop the others. The keys of the commits stay locked until their
     * records are applied, as a single commit's key does.
     *
     * @throws MinikvException.InvalidArgument when a value is larger than {@link #INLINE_LIMIT}; nothing
     *     of the batch is done then
     * @throws IOException when the disk fails; any part of the batch may have been written then
     */
    public BatchOutcome prepareAndCommit(List<SmallValue> values, List<CommitOrder> commits) throws IOException {
        for (SmallValue value : values) {
            if (value.data().length > INLINE_LIMIT) {
                throw new MinikvException.InvalidArgument(
                        "a batched value is at most " + INLINE_LIMIT + " bytes, got " + value.data().length);
            }
        }
        WriteBatch batch = new WriteBatch();
        List<MinikvException> prepareErrors = new ArrayList<>(values.size());
        List<BlobRecord> markers = new ArrayList<>(values.size());
        Set<Long> seen = new HashSet<>();
        for (SmallValue value : values) {
            try {
                if (!seen.add(value.transactionId())) {
                    throw new MinikvException.Conflict(
                            "transaction " + value.transactionId() + " appears more than once in the batch");
                }
                BlobRecord marker = smallMarker(value);
                batch.put(markerKey(marker.transactionId()), marker.encode());
                markers.add(marker);
                prepareErrors.add(null);
            } catch (MinikvException e) {
                prepareErrors.add(e);
            }
        }
        List<ReentrantLock> held =
                locks.lockAll(commits.stream().map(CommitOrder::key).toList());
        try {
            BatchCommits batchCommits = new BatchCommits(batch);
            List<CommitResult> committed = new ArrayList<>(commits.size());
            for (CommitOrder order : commits) {
                try {
                    committed.add(new CommitResult(batchCommits.commit(order), null));
                } catch (MinikvException e) {
                    committed.add(new CommitResult(false, e));
                }
            }
            store.write(batch);
            for (BlobRecord marker : markers) {
                prepared.put(marker.transactionId(), marker);
            }
            batchCommits.settled.forEach(prepared::remove);
            return new BatchOutcome(prepareErrors, committed);
        } finally {
            held.forEach(ReentrantLock::unlock);
        }
    }

    /** The marker that prepares a small value, after the checks {@link #prepare} makes. */
    private BlobRecord smallMarker(SmallValue value) {
        BlobInfo expected = value.expected();
        checkNewTransaction(value.transactionId(), expected);
        if (expected.size() != value.data().length) {
            throw new MinikvException.InvalidArgument(
                    "data has " + value.data().length + " bytes, declared " + expected.size());
        }
        MessageDigest md5 = md5();
        md5.update(value.data());
        BlobInfo info = withData(expected, value.data().length, md5);
        MinikvException mismatch = etagMismatch(expected, info);
        if (mismatch != null) {
            throw mismatch;
        }
        return new BlobRecord(BlobRecord.Kind.PREPARED, info, value.transactionId(), value.data());
    }

    /**
     * The commits of one batch, decided as {@link #commit} decides them, their records added to the
     * batch. The index shows none of them until the batch is written, so the pointers written so far
     * and the transactions settled so far are kept here.
     */
    private final class BatchCommits {
        private final WriteBatch batch;
        private final Map<String, BlobRecord> pointers = new HashMap<>();
        /** Transactions committed or discarded by the batch, to drop from the prepared table once written. */
        private final Set<Long> settled = new HashSet<>();

        BatchCommits(WriteBatch batch) {
            this.batch = batch;
        }

        boolean commit(CommitOrder order) throws IOException {
            String key = order.key();
            long transactionId = order.transactionId();
            checkKey(key);
            BlobRecord pointer = pointers.containsKey(key) ? pointers.get(key) : pointer(key);
            BlobRecord marker = settled.contains(transactionId) ? null : prepared.get(transactionId);
            if (marker == null) {
                if (pointer != null && pointer.transactionId() == transactionId) {
                    return true;
                }
                throw new MinikvException.NotFound("transaction " + transactionId + " is not prepared on this volume");
            }
            if (!marker.info().key().equals(key)) {
                throw new MinikvException.InvalidArgument("transaction " + transactionId + " is for another key");
            }
            settled.add(transactionId);
            if (pointer != null && pointer.transactionId() == transactionId) {
                batch.delete(markerKey(transactionId));
                return true;
            }
            if (pointer != null && pointer.info().version() >= marker.info().version()) {
                // As discard does: the marker goes first, so that no marker ever names missing data.
                batch.delete(markerKey(transactionId));
                if (marker.inlineData() == null) {
                    batch.delete(dataKey(transactionId));
                }
                return false;
            }
            BlobRecord committed =
                    new BlobRecord(BlobRecord.Kind.COMMITTED, marker.info(), transactionId, marker.inlineData());
            batch.put(bytes(key), committed.encode());
            pointers.put(key, committed);
            batch.delete(markerKey(transactionId));
            if (pointer != null && pointer.kind() == BlobRecord.Kind.COMMITTED && pointer.inlineData() == null) {
                batch.delete(dataKey(pointer.transactionId()));
            }
            return true;
        }
    }

    /**
     * Phase two: makes a prepared version visible, as one commit of {@link #prepareAndCommit} does.
     * Idempotent: committing a transaction that this volume already committed returns true again.
     *
     * @param key the blob key of the transaction, to recognise a commit that already happened
     * @return false when a newer version was committed first (the prepared data is dropped)
     * @throws MinikvException.NotFound when the transaction is neither prepared nor committed here
     */
    public boolean commit(long transactionId, String key) throws IOException {
        CommitResult result = prepareAndCommit(List.of(), List.of(new CommitOrder(transactionId, key)))
                .committed()
                .getFirst();
        if (result.error() != null) {
            throw result.error();
        }
        return result.applied();
    }

    /** Drops a prepared version. Aborting an unknown (or already aborted) transaction does nothing. */
    public void abort(long transactionId) throws IOException {
        BlobRecord marker = prepared.get(transactionId);
        if (marker == null) {
            return;
        }
        ReentrantLock lock = locks.of(marker.info().key());
        lock.lock();
        try {
            if (prepared.containsKey(transactionId)) {
                discard(marker);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Transactions prepared here and not yet committed or aborted, oldest first. */
    public List<PreparedTransaction> preparedTransactions() {
        return prepared.values().stream()
                .map(r -> new PreparedTransaction(r.transactionId(), r.info()))
                .sorted(Comparator.comparingLong(p -> p.info().createdAtMillis()))
                .toList();
    }

    /** The committed version of {@code key}, or empty when there is none (absent or deleted). */
    public Optional<BlobInfo> head(String key) throws IOException {
        checkKey(key);
        return Optional.ofNullable(current(key));
    }

    /**
     * Opens the committed version of {@code key} for reading; {@code version} 0 means whichever is
     * committed. Empty when the key (at that version) is not here.
     */
    public Optional<BlobData> open(String key, long version) throws IOException {
        checkKey(key);
        BlobRecord pointer = pointer(key);
        if (pointer == null
                || pointer.kind() != BlobRecord.Kind.COMMITTED
                || (version != 0 && pointer.info().version() != version)) {
            return Optional.empty();
        }
        if (pointer.inlineData() != null) {
            return Optional.of(new BlobData(pointer.info(), new ByteArrayInputStream(pointer.inlineData())));
        }
        Optional<ValueStream> stream = store.openValue(dataKey(pointer.transactionId()));
        if (stream.isEmpty()) {
            BlobRecord now = pointer(key);
            if (now != null && now.transactionId() == pointer.transactionId()) {
                throw new MinikvException.Corrupt("data of " + key + " is missing");
            }
            // A concurrent commit replaced the version between the two reads; read the new one.
            return open(key, version);
        }
        if (stream.get().length() != pointer.info().size()) {
            stream.get().close();
            throw new MinikvException.Corrupt("data of " + key + " has the wrong length");
        }
        return Optional.of(new BlobData(pointer.info(), stream.get()));
    }

    /** Deletes {@code key} on this volume alone; returns whether it existed. */
    public boolean delete(String key) throws IOException {
        checkKey(key);
        ReentrantLock lock = locks.of(key);
        lock.lock();
        BlobRecord pointer;
        try {
            pointer = pointer(key);
            if (pointer == null) {
                return false;
            }
            store.delete(bytes(key));
        } finally {
            lock.unlock();
        }
        dropData(pointer);
        return pointer.kind() == BlobRecord.Kind.COMMITTED;
    }

    /**
     * Deletes {@code key} as of {@code version} (cluster mode): applied unless a newer version is
     * committed, and remembered so that an older commit arriving later cannot bring the key back.
     *
     * @return whether the deletion was applied
     */
    public boolean delete(String key, long version) throws IOException {
        checkKey(key);
        ReentrantLock lock = locks.of(key);
        lock.lock();
        BlobRecord pointer;
        try {
            pointer = pointer(key);
            if (pointer != null && pointer.info().version() > version) {
                return false;
            }
            if (pointer != null && pointer.kind() == BlobRecord.Kind.DELETED) {
                return true;
            }
            BlobInfo tombstone = new BlobInfo(key, version, 0, "0".repeat(32), "", now());
            writePointer(new BlobRecord(BlobRecord.Kind.DELETED, tombstone, 0, null));
        } finally {
            lock.unlock();
        }
        if (pointer != null) {
            dropData(pointer);
        }
        return true;
    }

    /** Up to {@code limit} committed keys with {@code prefix} after {@code startAfter}, sorted. */
    public List<String> list(String prefix, String startAfter, int limit) throws IOException {
        List<String> keys = new ArrayList<>();
        scanPointers(
                prefix,
                startAfter,
                limit,
                false,
                record -> keys.add(record.info().key()));
        return keys;
    }

    /**
     * Visits the pointer of every key with {@code prefix} after {@code startAfter}, in key order,
     * deletions included when {@code withDeleted}; at most {@code limit} (0 for all).
     */
    public void scanPointers(
            String prefix, String startAfter, int limit, boolean withDeleted, Consumer<BlobRecord> visitor)
            throws IOException {
        byte[] prefixBytes = bytes(prefix == null ? "" : prefix);
        byte[] after = startAfter == null || startAfter.isEmpty() ? BEFORE_USER_KEYS : bytes(startAfter);
        int found = 0;
        int wanted = limit <= 0 ? Integer.MAX_VALUE : limit;
        while (found < wanted) {
            List<byte[]> page = store.scan(prefixBytes, after, Math.min(1000, wanted - found));
            if (page.isEmpty()) {
                return;
            }
            for (byte[] keyBytes : page) {
                after = keyBytes;
                String key = new String(keyBytes, StandardCharsets.UTF_8);
                BlobRecord pointer = pointer(key);
                if (pointer != null && (withDeleted || pointer.kind() == BlobRecord.Kind.COMMITTED)) {
                    visitor.accept(pointer);
                    found++;
                }
            }
        }
    }

    public StoreStats stats() {
        return store.stats();
    }

    public CompactionResult compact() throws IOException {
        return store.compact();
    }

    @Override
    public void close() throws IOException {
        store.close();
    }

    /**
     * Stores the data of a transaction durably but invisibly and returns its marker. For a prepare
     * ({@code keepMarker}) the marker stays until commit or abort; for a single-node put it is
     * written only when the data needs a record of its own.
     */
    private BlobRecord stage(long transactionId, BlobInfo declared, InputStream data, long length, boolean keepMarker)
            throws IOException {
        MessageDigest md5 = md5();
        byte[] head = length < 0
                ? StreamHeads.read(data, INLINE_LIMIT + 1)
                : data.readNBytes((int) Math.min(length, INLINE_LIMIT + 1));
        if (length >= 0 && head.length < Math.min(length, INLINE_LIMIT + 1)) {
            throw new MinikvException.InvalidArgument("data ended after " + head.length + " of " + length + " bytes");
        }
        // Data of unknown length is checked against the limit as it arrives; the engine's own limit
        // is never below twice the inline size, so small limits are enforced here.
        if (head.length > maxBlobSize) {
            throw new MinikvException.TooLarge("blob exceeds the limit of " + maxBlobSize + " bytes");
        }
        if (head.length <= INLINE_LIMIT) {
            md5.update(head);
            BlobInfo info = withData(declared, head.length, md5);
            BlobRecord marker = new BlobRecord(BlobRecord.Kind.PREPARED, info, transactionId, head);
            if (keepMarker) {
                store.put(markerKey(transactionId), marker.encode());
                prepared.put(transactionId, marker);
            }
            return marker;
        }
        BlobRecord pending = new BlobRecord(BlobRecord.Kind.PREPARED, declared(declared), transactionId, null);
        // Written first, without its own sync (the data's sync covers it): a crash during the upload
        // leaves a marker without data, which open removes, instead of data nothing refers to.
        store.put(markerKey(transactionId), pending.encode(), false);
        prepared.put(transactionId, pending);
        DigestInputStream digesting =
                new DigestInputStream(new SequenceInputStream(new ByteArrayInputStream(head), data), md5);
        try {
            store.put(dataKey(transactionId), digesting, length);
        } catch (ValueTooLargeException e) {
            discard(pending);
            throw new MinikvException.TooLarge("blob exceeds the limit of " + maxBlobSize + " bytes");
        } catch (java.io.EOFException e) {
            discard(pending);
            throw new MinikvException.InvalidArgument(e.getMessage());
        } catch (IOException | RuntimeException e) {
            discard(pending);
            throw e;
        }
        long size = store.valueLength(dataKey(transactionId));
        if (size > maxBlobSize) {
            discard(pending);
            throw new MinikvException.TooLarge("blob exceeds the limit of " + maxBlobSize + " bytes");
        }
        BlobRecord marker =
                new BlobRecord(BlobRecord.Kind.PREPARED, withData(declared, size, md5), transactionId, null);
        if (keepMarker) {
            store.put(markerKey(transactionId), marker.encode());
            prepared.put(transactionId, marker);
        }
        return marker;
    }

    /**
     * Writes a pointer durably. The key's lock is held, and the caller has read the pointer this one
     * replaces under it.
     */
    private void writePointer(BlobRecord pointer) throws IOException {
        store.put(bytes(pointer.info().key()), pointer.encode());
    }

    private void cleanUpAfterCommit(BlobRecord marker, BlobRecord previous) throws IOException {
        forgetMarker(marker);
        if (previous != null && previous.transactionId() != marker.transactionId()) {
            dropData(previous);
        }
    }

    private void forgetMarker(BlobRecord marker) throws IOException {
        store.delete(markerKey(marker.transactionId()), false);
        prepared.remove(marker.transactionId());
    }

    /** Removes a prepared transaction: marker first, so that no marker ever points at missing data. */
    private void discard(BlobRecord marker) throws IOException {
        store.delete(markerKey(marker.transactionId()));
        prepared.remove(marker.transactionId());
        store.delete(dataKey(marker.transactionId()), false);
    }

    private void dropData(BlobRecord pointer) throws IOException {
        if (pointer.inlineData() == null && pointer.kind() == BlobRecord.Kind.COMMITTED) {
            store.delete(dataKey(pointer.transactionId()), false);
        }
    }

    private boolean isCommitted(String key, long transactionId) throws IOException {
        BlobRecord pointer = pointer(key);
        return pointer != null && pointer.transactionId() == transactionId;
    }

    /**
     * Rebuilds the table of prepared transactions from their markers. A marker whose transaction was
     * committed (the pointer names it) or whose data never arrived is removed.
     */
    private void loadPrepared() throws IOException {
        for (byte[] markerKey : store.scan(MARKER_PREFIX, null, Integer.MAX_VALUE)) {
            long transactionId =
                    ByteBuffer.wrap(markerKey, MARKER_PREFIX.length, Long.BYTES).getLong();
            byte[] value = store.get(markerKey).orElse(null);
            if (value == null) {
                continue;
            }
            BlobRecord marker = BlobRecord.decode("", value);
            boolean committed = isCommitted(marker.info().key(), transactionId);
            boolean dataMissing =
                    marker.inlineData() == null && (isPending(marker) || !store.contains(dataKey(transactionId)));
            if (committed) {
                store.delete(markerKey, false);
            } else if (dataMissing) {
                LOG.info(
                        "dropping transaction {} of {}: its upload did not finish",
                        transactionId,
                        marker.info().key());
                discard(marker);
            } else {
                prepared.put(transactionId, marker);
            }
        }
    }

    private BlobRecord pointer(String key) throws IOException {
        try {
            return store.get(bytes(key)).map(b -> BlobRecord.decode(key, b)).orElse(null);
        } catch (CorruptRecordException e) {
            throw new MinikvException.Corrupt("metadata of " + key + " is damaged: " + e.getMessage());
        }
    }

    private BlobInfo current(String key) throws IOException {
        BlobRecord pointer = pointer(key);
        return pointer != null && pointer.kind() == BlobRecord.Kind.COMMITTED ? pointer.info() : null;
    }

    private void checkKey(String key) {
        String problem = BlobKeys.problem(key);
        if (problem != null) {
            throw new MinikvException.InvalidArgument(problem);
        }
    }

    private void checkLength(long length) {
        if (length > maxBlobSize) {
            throw new MinikvException.TooLarge("blob of " + length + " bytes exceeds the limit of " + maxBlobSize);
        }
    }

    /** A marker written before the upload has no etag yet: the upload never finished. */
    private static boolean isPending(BlobRecord marker) {
        return marker.info().size() < 0 || PENDING_ETAG.equals(marker.info().etag());
    }

    private static final String PENDING_ETAG = "0".repeat(32);

    private static BlobInfo declared(BlobInfo declared) {
        return new BlobInfo(
                declared.key(),
                declared.version(),
                -1,
                PENDING_ETAG,
                declared.contentType(),
                declared.createdAtMillis());
    }

    private static BlobInfo withData(BlobInfo declared, long size, MessageDigest md5) {
        return new BlobInfo(
                declared.key(),
                declared.version(),
                size,
                HexFormat.of().formatHex(md5.digest()),
                declared.contentType(),
                declared.createdAtMillis());
    }

    private static BlobInfo withVersion(BlobInfo info, long version) {
        return new BlobInfo(info.key(), version, info.size(), info.etag(), info.contentType(), info.createdAtMillis());
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }

    private static long newTransactionId() {
        return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] dataKey(long transactionId) {
        return ByteBuffer.allocate(DATA_PREFIX.length + Long.BYTES)
                .put(DATA_PREFIX)
                .putLong(transactionId)
                .array();
    }

    private static byte[] markerKey(long transactionId) {
        return ByteBuffer.allocate(MARKER_PREFIX.length + Long.BYTES)
                .put(MARKER_PREFIX)
                .putLong(transactionId)
                .array();
    }
}
