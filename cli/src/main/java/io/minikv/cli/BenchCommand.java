package io.minikv.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Load generator: ops/s and latency percentiles against the /blobs HTTP API",
            "of a volume (single node) or, with the cluster, of a coordinator; with --protocol grpc,",
            "against the coordinators' gRPC API (each at its HTTP port + 1) through the Java client."
        })
final class BenchCommand implements Callable<Integer> {
    /** Which operations the clients run. */
    enum Kind {
        PUT,
        GET,
        MIXED;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Spec
    private CommandSpec spec;

    @Mixin
    private ClientOptions client;

    @Option(names = "--url", paramLabel = "URL", description = "server to load (default: the first --coordinator)")
    private URI url;

    @Option(
            names = "--workload",
            defaultValue = "put",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    private Kind workload;

    @Option(
            names = "--read-ratio",
            defaultValue = "0.9",
            description = "share of gets in the mixed workload (default: ${DEFAULT-VALUE})")
    private double readRatio;

    @Option(names = "--clients", defaultValue = "16", description = "concurrent clients (default: ${DEFAULT-VALUE})")
    private int clients;

    @Option(
            names = "--value-size",
            paramLabel = "SIZE",
            defaultValue = "1KiB",
            converter = ByteCountConverter.class,
            description = "bytes per value, e.g. 100, 1KiB, 1MiB (default: ${DEFAULT-VALUE})")
    private long valueSize;

    @Option(names = "--keys", defaultValue = "1000", description = "size of the key space (default: ${DEFAULT-VALUE})")
    private int keys;

    @Option(
            names = "--duration",
            paramLabel = "DURATION",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description = "measured time (default: ${DEFAULT-VALUE})")
    private Duration duration;

    @Option(
            names = "--warmup",
            paramLabel = "DURATION",
            defaultValue = "5s",
            converter = DurationConverter.class,
            description = "unmeasured time before it (default: ${DEFAULT-VALUE})")
    private Duration warmup;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean grpc = client.protocol() == Protocol.GRPC;
        if (grpc && url != null) {
            err.println("minikv bench: --url is for HTTP; over gRPC bench loads the --coordinator list");
            return 2;
        }
        if (clients < 1 || keys < 1 || valueSize > Integer.MAX_VALUE - 8 || readRatio < 0 || readRatio > 1) {
            err.println("minikv bench: --clients and --keys must be positive, --value-size below 2 GiB,"
                    + " --read-ratio between 0 and 1 (see 'minikv bench --help')");
            return 2;
        }
        String target = grpc
                ? String.join(",", client.grpcTargets())
                : (url != null ? url : client.coordinators().getFirst()).toString();
        double reads = switch (workload) {
            case PUT -> 0;
            case GET -> 1;
            case MIXED -> readRatio;
        };
        LatencySummary result;
        try (BenchTarget loaded = grpc
                ? new ClientBenchTarget(client.connect(spec.commandLine(), ClientOptions.DEFAULT_TIMEOUT))
                : new HttpBenchTarget(
                        url != null ? url : client.coordinators().getFirst(),
                        client.timeout(ClientOptions.DEFAULT_TIMEOUT))) {
            BenchLoad load =
                    new BenchLoad(new BenchLoad.Workload(clients, valueSize, keys, reads, warmup, duration), loaded);
            if (reads > 0) {
                load.preload();
            }
            result = load.run();
        }
        if (client.format() == OutputFormat.JSON) {
            ObjectNode json = new ObjectMapper().createObjectNode();
            json.put("protocol", grpc ? "grpc" : "http")
                    .put("url", target)
                    .put("workload", workload.toString())
                    .put("read_ratio", reads)
                    .put("clients", clients)
                    .put("value_size", valueSize)
                    .put("keys", keys)
                    .put("seconds", result.seconds())
                    .put("operations", result.operations())
                    .put("errors", result.errors())
                    .put("ops_per_sec", Math.round(result.opsPerSecond()))
                    .put("p50_us", result.p50Micros())
                    .put("p95_us", result.p95Micros())
                    .put("p99_us", result.p99Micros())
                    .put("max_us", result.maxMicros());
            out.println(json);
        } else {
            out.printf(
                    Locale.ROOT,
                    "%s %s: %d clients, %s values, %d keys, %.1f s%n",
                    workload,
                    target,
                    clients,
                    ByteSize.describe(valueSize),
                    keys,
                    result.seconds());
            out.printf(Locale.ROOT, "  ops/s   %,12.0f%n", result.opsPerSecond());
            out.printf(Locale.ROOT, "  p50     %,12.3f ms%n", result.p50Micros() / 1000.0);
            out.printf(Locale.ROOT, "  p95     %,12.3f ms%n", result.p95Micros() / 1000.0);
            out.printf(Locale.ROOT, "  p99     %,12.3f ms%n", result.p99Micros() / 1000.0);
            out.printf(Locale.ROOT, "  max     %,12.3f ms%n", result.maxMicros() / 1000.0);
            out.printf(Locale.ROOT, "  errors  %,12d%n", result.errors());
        }
        if (result.operations() == 0) {
            err.println("minikv bench: no operation succeeded against " + target);
            return 1;
        }
        return 0;
    }
}
