package io.minikv.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SnapshotWriterTest {
    private static final MetadataImage IMAGE = new MetadataImage(List.of(), List.of(), List.of());

    /** Writes snapshots once allowed to, noting each one's thread and index. */
    private final CountDownLatch mayWrite = new CountDownLatch(1);

    private final List<Long> writtenAt = new CopyOnWriteArrayList<>();
    private final AtomicReference<Thread> writerThread = new AtomicReference<>();
    private final AtomicReference<IOException> failure = new AtomicReference<>();
    private final List<Long> published = new CopyOnWriteArrayList<>();
    private final AtomicInteger freezes = new AtomicInteger();
    private final AtomicInteger writtenCalls = new AtomicInteger();
    private final CountDownLatch written = new CountDownLatch(1);

    private final SnapshotWriter writer = new SnapshotWriter(
            (image, at) -> {
                writerThread.set(Thread.currentThread());
                await(mayWrite);
                if (failure.get() != null) {
                    throw failure.get();
                }
                writtenAt.add(at.getIndex());
                return new SingleFileSnapshotInfo(new FileInfo(Path.of("snapshot." + at), null), at);
            },
            info -> published.add(info.getIndex()),
            () -> {
                writtenCalls.incrementAndGet();
                written.countDown();
            });

    private final Supplier<MetadataImage> freeze = () -> {
        freezes.incrementAndGet();
        return IMAGE;
    };

    @AfterEach
    void close() {
        mayWrite.countDown();
        writer.close();
    }

    @Test
    void theStateIsFrozenOnTheCallersThreadAndWrittenOnAnother() {
        AtomicReference<Thread> frozenOn = new AtomicReference<>();
        Supplier<MetadataImage> frozenHere = () -> {
            frozenOn.set(Thread.currentThread());
            return IMAGE;
        };

        assertThat(writer.take(TermIndex.valueOf(1, 10), frozenHere)).isEqualTo(RaftLog.INVALID_LOG_INDEX);
        assertThat(frozenOn.get()).isSameAs(Thread.currentThread());
        mayWrite.countDown();
        await(written);

        assertThat(writerThread.get()).isNotNull().isNotSameAs(Thread.currentThread());
        assertThat(writtenAt).containsExactly(10L);
    }

    @Test
    void whileOneIsWrittenNoOtherStartsAndNoneIsReported() {
        writer.take(TermIndex.valueOf(1, 10), freeze);

        assertThat(writer.take(TermIndex.valueOf(1, 20), freeze)).isEqualTo(RaftLog.INVALID_LOG_INDEX);
        assertThat(writer.take(TermIndex.valueOf(1, 30), freeze)).isEqualTo(RaftLog.INVALID_LOG_INDEX);
        assertThat(freezes).hasValue(1);
        assertThat(published).isEmpty();
    }

    @Test
    void aDurableSnapshotIsReportedAtTheNextRequestAndPublishedJustBefore() {
        writer.take(TermIndex.valueOf(1, 10), freeze);
        mayWrite.countDown();
        await(written);
        assertThat(published).as("not before Ratis is told").isEmpty();

        assertThat(writer.take(TermIndex.valueOf(1, 15), freeze)).isEqualTo(10);
        assertThat(published).containsExactly(10L);
        assertThat(freezes).as("reporting one does not start another").hasValue(1);

        assertThat(writer.take(TermIndex.valueOf(1, 15), freeze)).isEqualTo(RaftLog.INVALID_LOG_INDEX);
        assertThat(freezes).as("the next request starts the next one").hasValue(2);
    }

    @Test
    void nothingIsWrittenWhenNoEntryWasAppliedSinceTheLastSnapshot() {
        writer.loaded(10);

        assertThat(writer.take(TermIndex.valueOf(1, 10), freeze)).isEqualTo(RaftLog.INVALID_LOG_INDEX);
        assertThat(writer.take(null, freeze)).isEqualTo(RaftLog.INVALID_LOG_INDEX);
        assertThat(freezes).hasValue(0);
    }

    @Test
    void aSnapshotOlderThanOneLoadedMeanwhileIsNeverReported() {
        writer.take(TermIndex.valueOf(1, 10), freeze);
        writer.loaded(20);
        mayWrite.countDown();
        await(written);

        assertThat(writer.take(TermIndex.valueOf(2, 25), freeze)).isEqualTo(RaftLog.INVALID_LOG_INDEX);
        assertThat(published).isEmpty();
        assertThat(freezes).as("a new one starts at 25").hasValue(2);
    }

    @Test
    void aFailedWriteIsNotReportedAndTheNextRequestStartsAgain() throws Exception {
        failure.set(new IOException("disk full"));
        writer.take(TermIndex.valueOf(1, 10), freeze);
        mayWrite.countDown();
        writer.close();

        assertThat(writtenCalls).hasValue(0);
        assertThat(writer.take(TermIndex.valueOf(1, 12), freeze)).isEqualTo(RaftLog.INVALID_LOG_INDEX);
        assertThat(freezes).hasValue(2);
        assertThat(published).isEmpty();
    }

    @Test
    void closeWaitsForTheSnapshotBeingWritten() throws Exception {
        writer.take(TermIndex.valueOf(1, 10), freeze);
        Thread closing = Thread.ofPlatform().start(writer::close);
        closing.join(200);
        assertThat(closing.isAlive())
                .as("close waits while the file is written")
                .isTrue();

        mayWrite.countDown();
        closing.join(TimeUnit.SECONDS.toMillis(30));

        assertThat(closing.isAlive()).isFalse();
        assertThat(writtenAt).containsExactly(10L);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
