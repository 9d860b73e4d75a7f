package io.minikv.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.Status;
import io.minikv.proto.MinikvException;
import io.minikv.volume.ChunkPipe;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

class GrpcCallsTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(GrpcCalls.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void listen() {
        logged.start();
        logger.addAppender(logged);
        // The error this test provokes goes to the list only, not to the build's output.
        logger.setAdditive(false);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(logged);
        logger.setAdditive(true);
    }

    @Test
    void anUploadTheClientCancelledIsCancelledAndNotLoggedAsAnError() {
        ChunkPipe pipe = new ChunkPipe(() -> {}, Duration.ofSeconds(10));
        pipe.fail(Status.CANCELLED.withDescription("client cancelled").asRuntimeException());
        Exception cancelled = (Exception) catchThrowable(pipe::read);

        assertThat(GrpcCalls.status(cancelled, "put").getStatus().getCode()).isEqualTo(Status.Code.CANCELLED);
        assertThat(logged.list).noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.ERROR));
    }

    @Test
    void anUnexpectedFailureIsInternalAndLogged() {
        IOException broken = new IOException("disk on fire");

        assertThat(GrpcCalls.status(broken, "put").getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(logged.list).anyMatch(event -> event.getLevel() == Level.ERROR);
    }

    @Test
    void aDomainFailureKeepsItsStatus() {
        assertThat(GrpcCalls.status(new MinikvException.NotFound("no such key"), "get")
                        .getStatus()
                        .getCode())
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(logged.list).isEmpty();
    }

    /**
     * The servers call handlers on the transport's threads: a unary call that ran on the caller's
     * thread would hold it until the call ended, and this test would never get past {@code unary}.
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aUnaryCallRunsOnAThreadOfItsOwnAndAnswersThere() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        FirstAnswer<String> responses = new FirstAnswer<>();
        CompletableFuture<String> answer = responses.future();

        GrpcCalls.unary(responses, "held", () -> {
            release.await();
            return "done";
        });

        assertThat(answer).isNotDone();
        release.countDown();
        assertThat(answer.get()).isEqualTo("done");
    }
}
