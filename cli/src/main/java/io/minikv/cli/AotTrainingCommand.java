package io.minikv.cli;

import io.minikv.client.MinikvClient;
import io.minikv.client.Protocol;
import io.minikv.coordinator.CoordinatorConfig;
import io.minikv.coordinator.CoordinatorServer;
import io.minikv.volume.HostPort;
import io.minikv.volume.VolumeConfig;
import io.minikv.volume.VolumeServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The run the launcher records the servers' ahead-of-time cache from (JDK 25: {@code
 * -XX:AOTCacheOutput}), once per build of the jar: a coordinator and a volume in this JVM, written to
 * and read from over HTTP and gRPC, small values and a streamed one, then stopped. A server started
 * with the cache finds the classes this run loaded already loaded and linked, and the profiles of the
 * methods it ran, so it starts in about half the CPU time and its first writes as a new leader do not
 * wait for class loading (docs/cluster.md, "Starting fast"). Hidden: it is the launcher's, not a user's.
 */
@Command(
        name = "aot-training",
        hidden = true,
        description = "Run a coordinator and a volume in this JVM under a short load, for the launcher's AOT cache.")
final class AotTrainingCommand implements Callable<Integer> {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(1);
    private static final int CLIENTS = 8;
    private static final int KEYS = 64;
    /** Larger than a coordinator's small-value batches ({@code VolumeBatches.SMALL_VALUE}): this one streams. */
    private static final int LARGE_VALUE = 2 * 1024 * 1024;

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--duration",
            defaultValue = "3s",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "how long each protocol is loaded (default: ${DEFAULT-VALUE})")
    private Duration duration;

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("minikv-aot-training-");
        try {
            HostPort raft = new HostPort(DevNode.HOST, freePort());
            CoordinatorConfig coordinatorConfig = CoordinatorConfig.of(
                            "c0",
                            new HostPort(DevNode.HOST, 0),
                            new HostPort(DevNode.HOST, 0),
                            raft,
                            dir.resolve("c0"),
                            Map.of("c0", raft))
                    .withReplicas(1);
            try (CoordinatorServer coordinator = CoordinatorServer.start(coordinatorConfig)) {
                URI url = URI.create("http://" + coordinator.httpAddress());
                VolumeConfig volumeConfig = VolumeConfig.standalone(
                                "v0", new HostPort(DevNode.HOST, 0), dir.resolve("v0"))
                        .withGrpc(new HostPort(DevNode.HOST, 0))
                        .withCoordinators(List.of(url));
                try (VolumeServer volume = VolumeServer.start(volumeConfig)) {
                    PrintWriter err = spec.commandLine().getErr();
                    for (Protocol protocol : Protocol.values()) {
                        try (MinikvClient client = MinikvClient.builder()
                                .coordinators(List.of(url))
                                .grpcTargets(List.of(coordinator.grpcAddress().toString()))
                                .protocol(protocol)
                                .build()) {
                            awaitWritable(client);
                            err.printf("%s: %d operations%n", protocol, load(client));
                        }
                    }
                }
            }
            return 0;
        } finally {
            delete(dir);
        }
    }

    /** Until the volume has joined: the first put that succeeds. */
    private static void awaitWritable(MinikvClient client) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            try {
                client.put("aot/ready", new byte[1]);
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /** Small puts, gets, lists and deletes from {@link #CLIENTS} threads, then one streamed value; how many operations. */
    private long load(MinikvClient client) throws InterruptedException {
        AtomicLong operations = new AtomicLong();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        long end = System.nanoTime() + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < CLIENTS; t++) {
            int thread = t;
            threads.add(Thread.ofVirtual().start(() -> {
                byte[] value = new byte[256];
                for (int i = 0; System.nanoTime() < end && failure.get() == null; i++) {
                    // Each key is written and read six times, listed, then deleted.
                    String key = "aot/" + thread + "/" + (i / 8 % KEYS);
                    Arrays.fill(value, (byte) i);
                    try {
                        switch (i % 8) {
                            case 6 -> client.list("aot/" + thread + "/", "", 10);
                            case 7 -> client.delete(key);
                            default -> {
                                client.put(key, value);
                                client.getBytes(key);
                            }
                        }
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                    }
                    operations.incrementAndGet();
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        byte[] large = new byte[LARGE_VALUE];
        client.put("aot/large", large);
        if (client.getBytes("aot/large").length != large.length) {
            throw new IllegalStateException("the streamed value came back with another length");
        }
        return operations.get() + 2;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
