package io.minikv.volume;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.minikv.proto.MinikvException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ChunkPipeTest {
    private final AtomicInteger requested = new AtomicInteger();

    @Test
    void chunksAreReadInOrderAndEachTakenChunkAsksForTheNext() throws IOException {
        ChunkPipe pipe = new ChunkPipe(requested::incrementAndGet, Duration.ofSeconds(10));
        pipe.chunk(ByteString.copyFromUtf8("hello, "));
        pipe.chunk(ByteString.copyFromUtf8("world"));
        pipe.end();

        assertThat(new String(pipe.readAllBytes(), UTF_8)).isEqualTo("hello, world");
        assertThat(requested).hasValue(2);
    }

    @Test
    void aSenderThatStopsSendingIsGivenUpOn() throws IOException {
        ChunkPipe pipe = new ChunkPipe(requested::incrementAndGet, Duration.ofMillis(50));
        pipe.chunk(ByteString.copyFromUtf8("half"));

        assertThat(pipe.readNBytes(4)).asString(UTF_8).isEqualTo("half");
        assertThatThrownBy(pipe::read)
                .isInstanceOf(MinikvException.Timeout.class)
                .hasMessage("no data arrived for 50 ms; the upload was abandoned");
    }

    @Test
    void aReaderWaitingForTheNextChunkGetsItWhenItArrives() throws Exception {
        ChunkPipe pipe = new ChunkPipe(requested::incrementAndGet, Duration.ofSeconds(10));
        CompletableFuture<byte[]> read = new CompletableFuture<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                read.complete(pipe.readAllBytes());
            } catch (IOException | RuntimeException e) {
                read.completeExceptionally(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> reader.getState() == Thread.State.TIMED_WAITING);

        pipe.chunk(ByteString.copyFromUtf8("late"));
        pipe.end();

        assertThat(new String(read.get(10, TimeUnit.SECONDS), UTF_8)).isEqualTo("late");
    }

    @Test
    void aCancelledCallFailsTheReadAsACancelledUpload() {
        ChunkPipe pipe = new ChunkPipe(requested::incrementAndGet, Duration.ofSeconds(10));
        pipe.fail(new IllegalStateException("connection reset"));

        assertThatThrownBy(pipe::read)
                .isInstanceOf(ChunkPipe.UploadCancelled.class)
                .hasMessage("upload was cancelled: connection reset");
    }

    @Test
    void aProtocolRefusalIsThrownAsIs() {
        ChunkPipe pipe = new ChunkPipe(requested::incrementAndGet, Duration.ofSeconds(10));
        MinikvException.InvalidArgument refusal = new MinikvException.InvalidArgument("only the first message");
        pipe.fail(refusal);

        assertThatThrownBy(pipe::read).isSameAs(refusal);
    }
}
