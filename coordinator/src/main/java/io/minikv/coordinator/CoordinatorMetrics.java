package io.minikv.coordinator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.minikv.volume.GrpcCallLimit;
import io.minikv.volume.UploadSlots;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * A coordinator's metrics in Prometheus text format: HTTP requests by route, method and status;
 * two-phase-commit outcomes and write latency; Raft role, term, commit and applied index; keys and
 * live volumes; JVM memory.
 */
final class CoordinatorMetrics {
    private static final Duration[] LATENCY_BUCKETS = Stream.of(1, 2, 5, 10, 25, 50, 100, 250, 1000, 5000, 30_000)
            .map(Duration::ofMillis)
            .toArray(Duration[]::new);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer writes;

    CoordinatorMetrics(String coordinatorId) {
        registry.config().commonTags("coordinator", coordinatorId);
        writes = Timer.builder("minikv.2pc.latency")
                .description("time of a two-phase write, from the request to the answer")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
    }

    /** Reports the Raft and cluster figures of {@code node} and {@code state}. */
    void watch(RaftNode node, MetadataState state) {
        gauge("minikv.raft.term", "the current Raft term", node, RaftNode::term);
        gauge("minikv.raft.commit.index", "the Raft commit index", node, RaftNode::commitIndex);
        gauge("minikv.raft.applied.index", "the last log index applied to the metadata", node, RaftNode::appliedIndex);
        gauge("minikv.raft.leader", "1 when this coordinator is the leader", node, n -> n.isLeader() ? 1 : 0);
        gauge("minikv.metadata.keys", "keys in the metadata, deletions included", state, MetadataState::keyCount);
        gauge(
                "minikv.metadata.tombstones",
                "deleted keys the metadata still keeps (forgotten after the tombstone retention)",
                state,
                MetadataState::tombstoneCount);
        gauge(
                "minikv.volumes.up",
                "volumes up",
                state,
                s -> s.volumes().stream().filter(v -> v.getUp()).count());
    }

    /** Reports the value cache's size and its hits and misses. */
    void watch(UploadSlots puts) {
        gauge(
                "minikv.puts.in.flight",
                "puts holding one of the --max-concurrent-puts slots, HTTP and gRPC",
                puts,
                UploadSlots::inUse);
    }

    void watch(GrpcCallLimit calls) {
        gauge(
                "minikv.grpc.calls.in.flight",
                "public gRPC calls in progress, of at most --max-concurrent-requests",
                calls,
                GrpcCallLimit::inUse);
    }

    void watch(ValueCache cache) {
        gauge("minikv.value.cache.bytes", "memory taken by cached small values", cache, ValueCache::bytes);
        counter("minikv.value.cache.hits", "reads of a small value answered from the cache", cache, ValueCache::hits);
        counter("minikv.value.cache.misses", "reads of a small value that went to a volume", cache, ValueCache::misses);
    }

    void watch(SmallWriteRounds rounds) {
        counter(
                "minikv.write.rounds",
                "rounds of small writes: one PrepareBatch call per volume and one Raft entry each",
                rounds,
                SmallWriteRounds::rounds);
        counter(
                "minikv.write.round.writes",
                "small writes carried by those rounds",
                rounds,
                SmallWriteRounds::roundWrites);
        counter(
                "minikv.write.round.lingers.run.out",
                "rounds that started when their linger ran out, before the last round's writers were back",
                rounds,
                SmallWriteRounds::lingersRunOut);
    }

    private <T> void counter(String name, String description, T source, ToDoubleFunction<T> count) {
        FunctionCounter.builder(name, source, count).description(description).register(registry);
    }

    private <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
        Gauge.builder(name, source, s -> {
                    try {
                        return value.applyAsDouble(s);
                    } catch (RuntimeException e) {
                        return Double.NaN;
                    }
                })
                .description(description)
                .register(registry);
    }

    /** A two-phase write ended: committed, aborted, precondition_failed or unknown. */
    void write(String outcome) {
        Counter.builder("minikv.2pc.outcomes")
                .description("two-phase writes by outcome")
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    void writeLatency(long nanos) {
        writes.record(nanos, TimeUnit.NANOSECONDS);
    }

    void request(String route, String method, String status, long nanos) {
        Timer.builder("minikv.http.requests")
                .description("HTTP requests")
                .tag("route", route)
                .tag("method", method)
                .tag("status", status)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    String scrape() {
        return registry.scrape();
    }
}
