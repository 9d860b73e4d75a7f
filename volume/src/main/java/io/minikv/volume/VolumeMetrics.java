package io.minikv.volume;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.minikv.storage.StoreStats;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * A volume's metrics in Prometheus text format: HTTP requests (count and latency by route, method
 * and status), body bytes in and out, uploads and gRPC calls in flight, the store's figures, JVM memory.
 */
final class VolumeMetrics {
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS", "PATCH");

    /** Latency histogram buckets: from a cached small GET to a large upload on a slow link. */
    private static final Duration[] LATENCY_BUCKETS = Stream.of(1, 5, 25, 100, 250, 1000, 5000, 30_000, 120_000)
            .map(Duration::ofMillis)
            .toArray(Duration[]::new);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter received;
    private final Counter sent;

    VolumeMetrics(String volumeId, BlobStore blobs, UploadSlots uploads, GrpcCallLimit grpcCalls) {
        registry.config().commonTags("volume", volumeId);
        received = Counter.builder("minikv.http.received")
                .baseUnit("bytes")
                .description("request body bytes read")
                .register(registry);
        sent = Counter.builder("minikv.http.sent")
                .baseUnit("bytes")
                .description("blob bytes sent in response bodies")
                .register(registry);
        Gauge.builder("minikv.uploads.in.flight", uploads, UploadSlots::inUse)
                .description("uploads being received now")
                .register(registry);
        Gauge.builder("minikv.grpc.calls.in.flight", grpcCalls, GrpcCallLimit::inUse)
                .description("gRPC calls in progress, of at most --max-concurrent-requests")
                .register(registry);
        storeGauge("minikv.store.keys", null, "keys in the engine's index", blobs, StoreStats::keys);
        storeGauge("minikv.store.segments", null, "segment files", blobs, StoreStats::segments);
        storeGauge("minikv.store.size", "bytes", "bytes of all segment files", blobs, StoreStats::totalBytes);
        storeGauge("minikv.store.live", "bytes", "bytes of current records", blobs, StoreStats::liveBytes);
        storeGauge("minikv.store.dead", "bytes", "bytes compaction can reclaim", blobs, StoreStats::deadBytes);
        storeCounter("minikv.store.compactions", "compactions since start", blobs, StoreStats::compactions);
        storeCounter(
                "minikv.store.corruptions",
                "damaged records found since start",
                blobs,
                StoreStats::corruptionsReported);
        new JvmMemoryMetrics().bindTo(registry);
    }

    /** Counts one finished request; {@code status} is the code sent, or {@code aborted}. */
    void request(String route, String method, String status, long nanos) {
        Timer.builder("minikv.http.requests")
                .description("HTTP requests served")
                .tags("route", route, "method", METHODS.contains(method) ? method : "other", "status", status)
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** {@code body}, counting the bytes read from it. */
    InputStream countingReceived(InputStream body) {
        return new FilterInputStream(body) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    received.increment();
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    received.increment(n);
                }
                return n;
            }
        };
    }

    void sent(long bytes) {
        sent.increment(bytes);
    }

    String scrape() {
        return registry.scrape();
    }

    private void storeGauge(
            String name, String unit, String description, BlobStore blobs, ToDoubleFunction<StoreStats> figure) {
        Gauge.builder(name, blobs, b -> figure.applyAsDouble(b.stats()))
                .baseUnit(unit)
                .description(description)
                .register(registry);
    }

    private void storeCounter(String name, String description, BlobStore blobs, ToDoubleFunction<StoreStats> figure) {
        FunctionCounter.builder(name, blobs, b -> figure.applyAsDouble(b.stats()))
                .description(description)
                .register(registry);
    }
}
