package io.minikv.volume;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every coordinator, once a second, that this volume is up and where it listens
 * ({@code POST /internal/v1/heartbeat}, docs/protocol.md). The leader registers the volume from
 * these and marks it down when they stop, so a volume joins the cluster, and rejoins after any
 * coordinator restarts, by itself. Every coordinator is told, not only the leader, because the
 * volume does not know which one leads, and the next leader must hear from it too.
 *
 * <p>Each coordinator is asked in parallel with a short timeout, so one that is down delays none of
 * the others, and a heartbeat to it is skipped while the previous one is still unanswered. A
 * failing coordinator is logged once when it starts failing and once when it answers again, not
 * every second.
 */
final class CoordinatorHeartbeats implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorHeartbeats.class);
    static final Duration INTERVAL = Duration.ofSeconds(1);
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    static final String PATH = "/internal/v1/heartbeat";

    /** The request body. */
    record Heartbeat(String volumeId, String httpAddress, String grpcAddress) {}

    private final String volumeId;
    private final byte[] body;
    private final List<Coordinator> coordinators;
    private final HttpClient client;
    private final ScheduledExecutorService ticks;
    private volatile boolean closed;

    private CoordinatorHeartbeats(String volumeId, List<URI> urls, HostPort http, HostPort grpc) {
        this.volumeId = volumeId;
        this.body = Json.bytes(new Heartbeat(volumeId, http.toString(), grpc.toString()));
        this.coordinators = urls.stream().map(Coordinator::new).toList();
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT)
                .build();
        this.ticks = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .daemon()
                .name("minikv-heartbeats-" + volumeId)
                .factory());
    }

    /**
     * Starts sending heartbeats at once, then every {@link #INTERVAL}, until {@link #close}.
     *
     * @param http the public HTTP address to advertise
     * @param grpc the internal gRPC address to advertise
     */
    static CoordinatorHeartbeats start(String volumeId, List<URI> coordinators, HostPort http, HostPort grpc) {
        CoordinatorHeartbeats heartbeats = new CoordinatorHeartbeats(volumeId, coordinators, http, grpc);
        heartbeats.ticks.scheduleWithFixedDelay(heartbeats::sendToAll, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return heartbeats;
    }

    private void sendToAll() {
        for (Coordinator coordinator : coordinators) {
            coordinator.send();
        }
    }

    /** Stops sending; a heartbeat in flight is abandoned. Returns when no more will be sent. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        ticks.shutdownNow();
        ticks.awaitTermination(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        client.shutdownNow();
        client.awaitTermination(TIMEOUT);
    }

    /** One coordinator: its heartbeat in flight, and whether it answered the last one. */
    private final class Coordinator {
        private final URI url;
        private final HttpRequest request;
        private final AtomicBoolean inFlight = new AtomicBoolean();
        /** Null until the first answer: the first outcome is logged either way. */
        private Boolean answering;

        Coordinator(URI url) {
            this.url = url;
            this.request = HttpRequest.newBuilder(url.resolve(PATH))
                    .timeout(TIMEOUT)
                    .header("Content-Type", Json.CONTENT_TYPE)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
        }

        void send() {
            if (!inFlight.compareAndSet(false, true)) {
                return;
            }
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                inFlight.set(false);
                if (!closed) {
                    record(error != null ? failure(error) : failure(response.statusCode()));
                }
            });
        }

        /** Logs a change between answering and failing; {@code failure} is null for a 200. */
        private synchronized void record(String failure) {
            boolean nowAnswering = failure == null;
            if (answering != null && answering == nowAnswering) {
                return;
            }
            answering = nowAnswering;
            if (nowAnswering) {
                LOG.info("volume {}: coordinator {} takes its heartbeats", volumeId, url);
            } else {
                LOG.warn(
                        "volume {}: heartbeats to coordinator {} fail ({}); logged again once it answers",
                        volumeId,
                        url,
                        failure);
            }
        }
    }

    /** Null for 200, the one answer that means the coordinator took the heartbeat. */
    private static String failure(int status) {
        return status == 200 ? null : "answered " + status;
    }

    private static String failure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return switch (cause) {
            case HttpConnectTimeoutException _ -> "no connection within " + TIMEOUT.toMillis() + " ms";
            case HttpTimeoutException _ -> "no answer within " + TIMEOUT.toMillis() + " ms";
            case ConnectException _ when cause.getMessage() == null -> "cannot connect";
            default ->
                cause.getMessage() == null
                        ? cause.getClass().getSimpleName()
                        : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        };
    }
}
