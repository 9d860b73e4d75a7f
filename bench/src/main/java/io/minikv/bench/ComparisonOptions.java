package io.minikv.bench;

import io.minikv.client.ReadPreference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The settings of one cluster-vs-etcd run, from the command line. {@code --quick} changes the
 * defaults to a check that everything works (5 s rows); any option given explicitly wins.
 *
 * @param systems which systems to measure, in report order (the ratio is the second over the first)
 * @param settle unmeasured load on each system before its first row (small puts and gets), so that
 *     the rows meet JIT-compiled code rather than the first minutes of a JVM
 * @param clients the client counts of the 256 B put and get rows
 * @param blobClients the client count of the 1 MiB put row
 * @param kills leader kills per system
 * @param etcdConnections jetcd connections to each etcd member, and the minikv gRPC driver's writing
 *     clients per coordinator
 * @param minikvProtocol how the minikv driver talks to the coordinators: {@code grpc} (the Java
 *     client, as jetcd drives etcd) or {@code http}
 * @param minikvReads where the gRPC driver's gets go: the leader (the Java client's default) or
 *     spread over the coordinators, as jetcd spreads its calls over etcd's members
 */
record ComparisonOptions(
        boolean quick,
        List<String> systems,
        Duration settle,
        Duration warmup,
        Duration duration,
        List<Integer> clients,
        int valueSize,
        int keys,
        int blobSize,
        int blobClients,
        int blobKeys,
        int kills,
        Duration attemptTimeout,
        String etcd,
        int etcdConnections,
        String minikv,
        String minikvProtocol,
        ReadPreference minikvReads,
        Path json) {

    static final String USAGE = """
            usage: ClusterVsEtcd [--quick] [--systems etcd,minikv] [--settle 180s] [--warmup 10s] [--duration 30s]
                                 [--clients 16,64,256] [--value-size 256] [--keys 10000]
                                 [--blob-size 1048576] [--blob-clients 16] [--blob-keys 100]
                                 [--kills 3] [--attempt-timeout 1s] [--etcd etcd] [--etcd-connections 1]
                                 [--minikv ./minikv] [--minikv-protocol grpc|http] [--minikv-reads leader|any]
                                 [--json FILE]
            --quick: --settle 0s --warmup 1s --duration 5s --keys 1000 --kills 1, unless given""";

    private static final Set<String> OPTIONS = Set.of(
            "--systems",
            "--settle",
            "--warmup",
            "--duration",
            "--clients",
            "--value-size",
            "--keys",
            "--blob-size",
            "--blob-clients",
            "--blob-keys",
            "--kills",
            "--attempt-timeout",
            "--etcd",
            "--etcd-connections",
            "--minikv",
            "--minikv-protocol",
            "--minikv-reads",
            "--json");

    static ComparisonOptions parse(String... args) {
        boolean quick = false;
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                quick = true;
            } else if (OPTIONS.contains(args[i]) && i + 1 < args.length) {
                given.put(args[i], args[++i]);
            } else {
                throw new IllegalArgumentException("bad option " + args[i] + "\n" + USAGE);
            }
        }
        boolean q = quick;
        BiFunction<String, String, String> option = (name, fallback) -> given.getOrDefault(name, fallback);
        return new ComparisonOptions(
                quick,
                List.of(option.apply("--systems", "etcd,minikv").split(",")),
                duration(option.apply("--settle", q ? "0s" : "180s")),
                duration(option.apply("--warmup", q ? "1s" : "10s")),
                duration(option.apply("--duration", q ? "5s" : "30s")),
                Arrays.stream(option.apply("--clients", "16,64,256").split(","))
                        .map(Integer::valueOf)
                        .toList(),
                Integer.parseInt(option.apply("--value-size", "256")),
                Integer.parseInt(option.apply("--keys", q ? "1000" : "10000")),
                Integer.parseInt(option.apply("--blob-size", "1048576")),
                Integer.parseInt(option.apply("--blob-clients", "16")),
                Integer.parseInt(option.apply("--blob-keys", "100")),
                Integer.parseInt(option.apply("--kills", q ? "1" : "3")),
                duration(option.apply("--attempt-timeout", "1s")),
                option.apply("--etcd", "etcd"),
                Integer.parseInt(option.apply("--etcd-connections", "1")),
                option.apply("--minikv", "./minikv"),
                protocol(option.apply("--minikv-protocol", "grpc")),
                reads(option.apply("--minikv-reads", "leader")),
                Path.of(option.apply(
                        "--json",
                        q ? "bench/target/cluster-vs-etcd-quick.json" : "bench/target/cluster-vs-etcd.json")));
    }

    private static String protocol(String text) {
        if (!text.equals("grpc") && !text.equals("http")) {
            throw new IllegalArgumentException("--minikv-protocol is grpc or http, not " + text);
        }
        return text;
    }

    private static ReadPreference reads(String text) {
        return switch (text) {
            case "leader" -> ReadPreference.LEADER;
            case "any" -> ReadPreference.ANY;
            default -> throw new IllegalArgumentException("--minikv-reads is leader or any, not " + text);
        };
    }

    /** {@code 500ms}, {@code 5s} or {@code 2m}. */
    private static Duration duration(String text) {
        if (text.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            default -> throw new IllegalArgumentException("a duration is like 500ms, 5s or 2m, not " + text);
        };
    }
}
