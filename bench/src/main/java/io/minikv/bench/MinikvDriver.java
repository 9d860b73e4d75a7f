package io.minikv.bench;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * minikv through its public HTTP API on the coordinators (docs/protocol.md, "Coordinators: public
 * HTTP"): {@code PUT /blobs/{key}} with the raw value, {@code GET /blobs/{key}}. Reads are spread
 * over all coordinators by client; a follower answers them itself after a linearizable read index.
 * Writes go where the Java client sends them: to the leader named by the last write's answer
 * ({@code X-Minikv-Leader}), else to the client's coordinator, which forwards them to the leader.
 * Helidon's blocking HTTP/1.1 client keeps a connection per request in flight; the JDK client, used
 * before, took about as much CPU as the coordinator it loaded.
 */
final class MinikvDriver implements KvDriver {
    private static final HeaderName LEADER = HeaderNames.create("X-Minikv-Leader");

    private final List<URI> coordinators;
    private final Http1Client http;
    private final AtomicReference<URI> leader = new AtomicReference<>();

    MinikvDriver(List<URI> coordinators, Duration timeout) {
        this.coordinators = List.copyOf(coordinators);
        this.http = Http1Client.builder()
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .sendExpectContinue(false)
                .connectionCacheSize(1024)
                .build();
    }

    @Override
    public void put(int client, String key, byte[] value) throws IOException {
        URI named = leader.get();
        try {
            put(named != null ? named : coordinators.get(client % coordinators.size()), key, value);
        } catch (IOException e) {
            // The leader may have changed: the next write goes through the client's coordinator again.
            if (named != null) {
                leader.compareAndSet(named, null);
            }
            throw e;
        }
    }

    private void put(URI coordinator, String key, byte[] value) throws IOException {
        try (HttpClientResponse response = http.put()
                .uri(coordinator.resolve("/blobs/" + key))
                .contentType(MediaTypes.APPLICATION_OCTET_STREAM)
                .submit(value)) {
            expect(201, "PUT", key, response);
            response.headers().first(LEADER).ifPresent(address -> leader.set(URI.create("http://" + address)));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (RuntimeException e) {
            throw failed(e);
        }
    }

    @Override
    public int get(int client, String key) throws IOException {
        URI base = coordinators.get(client % coordinators.size());
        try (HttpClientResponse response =
                http.get().uri(base.resolve("/blobs/" + key)).request()) {
            return expect(200, "GET", key, response).length;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (RuntimeException e) {
            throw failed(e);
        }
    }

    @Override
    public void close() {}

    /**
     * Helidon 4.5 reports a read that failed on a reused connection's idle monitor (a timeout, a
     * reset) as a plain RuntimeException around the IOException (helidon-io/helidon#12339).
     */
    private static IOException failed(RuntimeException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException io) {
                return io;
            }
        }
        throw e;
    }

    private static byte[] expect(int status, String method, String key, HttpClientResponse response)
            throws IOException {
        byte[] body = response.entity().as(byte[].class);
        if (response.status().code() != status) {
            throw new IOException("minikv: " + method + " " + key + " answered "
                    + response.status().code() + " " + new String(body, StandardCharsets.UTF_8));
        }
        return body;
    }
}
