package io.minikv.cli;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import java.net.URI;
import java.time.Duration;

/** The {@code /blobs} HTTP API of a volume or coordinator, through Helidon's HTTP/1.1 client. */
final class HttpBenchTarget implements BenchTarget {
    private final Http1Client http;

    HttpBenchTarget(URI base, Duration timeout) {
        this.http = Http1Client.builder()
                .baseUri(base)
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .build();
    }

    @Override
    public boolean put(long key, byte[] value) {
        try (HttpClientResponse response = http.put(path(key))
                .contentType(MediaTypes.APPLICATION_OCTET_STREAM)
                .submit(value)) {
            response.entity().consume();
            return response.status().code() == 201;
        } catch (RuntimeException e) {
            // An I/O failure, which Helidon 4.5 may also report as a plain RuntimeException
            // (helidon-io/helidon#12339): one failed operation, as a refused one is.
            return false;
        }
    }

    @Override
    public boolean get(long key) {
        try (HttpClientResponse response = http.get(path(key)).request()) {
            response.entity().consume();
            return response.status().code() == 200;
        } catch (RuntimeException e) {
            // An I/O failure, which Helidon 4.5 may also report as a plain RuntimeException
            // (helidon-io/helidon#12339): one failed operation, as a refused one is.
            return false;
        }
    }

    private static String path(long key) {
        return "/blobs/" + BenchLoad.KEY_PREFIX + key;
    }

    @Override
    public void close() {}
}
