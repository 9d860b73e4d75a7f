package io.minikv.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minikv.proto.MinikvException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A read of a guarded body that waits longer than the timeout is interrupted and fails; reads that
 * keep getting data are left alone however long the body takes, and a thread that is not reading
 * is never interrupted. A {@link PipedInputStream} stands in for the socket: its blocking read
 * answers an interrupt as a channel's does, with an exception.
 */
class BodyIdleTimeoutTest {
    private static final Duration TIMEOUT = Duration.ofMillis(200);

    private final BodyIdleTimeout bodies = new BodyIdleTimeout(TIMEOUT);

    @AfterEach
    void stop() {
        bodies.close();
    }

    @Test
    void aReadThatGetsNothingForTheTimeoutFailsAndLeavesTheThreadUninterrupted() throws IOException {
        PipedOutputStream sender = new PipedOutputStream();
        InputStream body = bodies.guard(new PipedInputStream(sender));
        sender.write(new byte[] {1, 2, 3});

        byte[] buffer = new byte[10];
        assertThat(body.read(buffer)).isEqualTo(3);
        assertThatThrownBy(() -> body.read(buffer))
                .isInstanceOf(MinikvException.Timeout.class)
                .hasMessageContaining("sent nothing for 200 ms");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();

        sender.write(4);
        assertThatThrownBy(body::read)
                .as("a body given up on stays given up on")
                .isInstanceOf(MinikvException.Timeout.class);
    }

    @Test
    void aBodyThatKeepsSendingIsReadWholeHoweverLongItTakes() throws Exception {
        PipedOutputStream sender = new PipedOutputStream();
        InputStream body = bodies.guard(new PipedInputStream(sender));
        int chunks = 12;
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            try (sender) {
                for (int i = 0; i < chunks; i++) {
                    sender.write(new byte[100]);
                    // A pipe wakes its reader on a flush; without one the read would wait up to a second.
                    sender.flush();
                    TimeUnit.MILLISECONDS.sleep(TIMEOUT.toMillis() / 4);
                }
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(body.readAllBytes()).hasSize(chunks * 100);
        sending.get();
    }

    @Test
    void aThreadBetweenReadsIsNotInterrupted() throws Exception {
        PipedOutputStream sender = new PipedOutputStream();
        InputStream body = bodies.guard(new PipedInputStream(sender));
        sender.write(new byte[] {1});

        assertThat(body.read()).isEqualTo(1);
        // Far longer than the timeout, outside a read: an interrupt would end this sleep early.
        TimeUnit.MILLISECONDS.sleep(TIMEOUT.toMillis() * 4);
        sender.write(2);
        assertThat(body.read()).isEqualTo(2);
    }
}
