package io.minikv.coordinator;

import java.io.IOException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes metadata snapshots off Ratis' apply thread. Ratis asks for a snapshot on the thread that
 * applies the log, so every write waits while one is taken there: written there, a snapshot of
 * 10,000 keys held the writes up for 31 ms (median under load, up to 296 ms), and a snapshot's time
 * grows with the keys. Here the apply thread only freezes the state ({@link MetadataImage}); a thread
 * of its own writes the file and syncs it. Once it is durable the writer asks Ratis for a snapshot
 * again ({@code written}), and that call reports it: Ratis then records the snapshot and purges the
 * log behind it. One snapshot is written at a time.
 */
final class SnapshotWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotWriter.class);

    /** Writes {@code image} durably as the snapshot at {@code at}. */
    @FunctionalInterface
    interface Files {
        SingleFileSnapshotInfo write(MetadataImage image, TermIndex at) throws IOException;
    }

    private final Files files;
    private final Consumer<SingleFileSnapshotInfo> publish;
    private final Runnable written;

    /** The thread writing a snapshot, or null. */
    private Thread writing;
    /** A durable snapshot not yet reported to Ratis, or null. */
    private SingleFileSnapshotInfo unreported;
    /** The newest index Ratis knows a snapshot at: one reported, loaded or installed. */
    private long known = RaftLog.INVALID_LOG_INDEX;

    /**
     * @param publish makes a snapshot the latest one (the storage's), just before it is reported
     * @param written called once a snapshot is durable, off the apply thread
     */
    SnapshotWriter(Files files, Consumer<SingleFileSnapshotInfo> publish, Runnable written) {
        this.files = files;
        this.publish = publish;
        this.written = written;
    }

    /**
     * Ratis asks for a snapshot: on the apply thread, with {@code last} the last applied entry.
     *
     * @param freeze the state as of {@code last}
     * @return the index of a durable snapshot to report, or {@link RaftLog#INVALID_LOG_INDEX} when none
     *     is ready (one is being written, perhaps starting now)
     */
    synchronized long take(TermIndex last, Supplier<MetadataImage> freeze) {
        if (unreported != null) {
            SingleFileSnapshotInfo ready = unreported;
            unreported = null;
            if (ready.getIndex() > known) {
                publish.accept(ready);
                known = ready.getIndex();
                return known;
            }
        }
        if (writing == null && last != null && last.getIndex() > known) {
            MetadataImage image = freeze.get();
            writing = Thread.ofPlatform().name("metadata-snapshot").daemon().start(() -> write(image, last));
        }
        return RaftLog.INVALID_LOG_INDEX;
    }

    /**
     * A snapshot at {@code index} was loaded or installed, so Ratis knows it: a snapshot of an older
     * state, still being written, is never reported.
     */
    synchronized void loaded(long index) {
        known = Math.max(known, index);
    }

    private void write(MetadataImage image, TermIndex at) {
        long start = System.nanoTime();
        SingleFileSnapshotInfo info = null;
        try {
            info = files.write(image, at);
            LOG.info(
                    "metadata snapshot at index {}: {} keys, written in {} ms",
                    at.getIndex(),
                    image.keys().size(),
                    (System.nanoTime() - start) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            LOG.error("the metadata snapshot at index {} was not written", at.getIndex(), e);
        }
        synchronized (this) {
            writing = null;
            if (info != null) {
                unreported = info;
            }
        }
        if (info != null) {
            written.run();
        }
    }

    /** Waits for the snapshot being written, if any. */
    @Override
    public void close() {
        Thread thread;
        synchronized (this) {
            thread = writing;
        }
        if (thread == null) {
            return;
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
