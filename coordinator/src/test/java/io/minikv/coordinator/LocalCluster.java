package io.minikv.coordinator;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A cluster of real processes on loopback for tests: coordinators and volumes, each a child JVM
 * whose output goes to a log file in the cluster's directory. Nodes can be killed with SIGKILL and
 * restarted on the same ports and data.
 */
final class LocalCluster implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final int FIRST_PORT = 20_000;
    private static final int LAST_PORT = 32_000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /** Small, so that tests exercise snapshots: restarts load them, new members install them. */
    static final long SNAPSHOT_EVERY = 100;
    /** Short, so that deletions are forgotten while the tests run (and while they kill nodes). */
    static final Duration TOMBSTONE_RETENTION = Duration.ofSeconds(5);

    /** One node: how to start it, and its process when running. */
    private static final class Node {
        final String id;
        final List<String> command;
        final Path log;
        Process process;

        Node(String id, List<String> command, Path log) {
            this.id = id;
            this.command = command;
            this.log = log;
        }
    }

    private final Path dir;
    private final List<Node> coordinators = new ArrayList<>();
    private final List<Node> volumes = new ArrayList<>();
    private final List<Integer> coordinatorHttpPorts = new ArrayList<>();
    private final List<Integer> coordinatorRaftPorts = new ArrayList<>();
    private final List<Integer> volumeHttpPorts = new ArrayList<>();
    final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private LocalCluster(Path dir) {
        this.dir = dir;
    }

    static LocalCluster start(Path dir, int coordinatorCount, int volumeCount, int replicas) throws IOException {
        LocalCluster cluster = new LocalCluster(dir);
        for (int i = 0; i < coordinatorCount; i++) {
            cluster.coordinatorHttpPorts.add(freePortPair());
            cluster.coordinatorRaftPorts.add(freePort());
        }
        StringJoiner peers = new StringJoiner(",");
        for (int i = 0; i < coordinatorCount; i++) {
            peers.add("c" + i + "=127.0.0.1:" + cluster.coordinatorRaftPorts.get(i));
        }
        for (int i = 0; i < coordinatorCount; i++) {
            cluster.coordinators.add(cluster.coordinatorNode(i, peers.toString(), replicas));
        }
        StringJoiner urls = new StringJoiner(",");
        cluster.coordinatorUrls().forEach(u -> urls.add(u.toString()));
        for (int i = 0; i < volumeCount; i++) {
            int httpPort = freePort();
            cluster.volumeHttpPorts.add(httpPort);
            cluster.volumes.add(new Node(
                    "v" + i,
                    javaCommand(
                            VolumeProcessMain.class,
                            "v" + i,
                            "127.0.0.1:" + httpPort,
                            "127.0.0.1:" + freePort(),
                            dir.resolve("v" + i).toString(),
                            urls.toString()),
                    dir.resolve("v" + i + ".log")));
        }
        try {
            for (Node node : cluster.coordinators) {
                cluster.launch(node);
            }
            for (Node node : cluster.volumes) {
                cluster.launch(node);
            }
            cluster.awaitHealthy(volumeCount);
        } catch (ConditionTimeoutException e) {
            // The logs go with the cluster's directory: keep what they say in the failure.
            String logs = cluster.logs();
            cluster.close();
            throw new IllegalStateException("the cluster did not become healthy; its nodes' logs:\n" + logs, e);
        } catch (IOException | RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private Node coordinatorNode(int i, String peers, int replicas, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "c" + i,
                "127.0.0.1:" + coordinatorHttpPorts.get(i),
                "127.0.0.1:" + coordinatorRaftPorts.get(i),
                dir.resolve("c" + i).toString(),
                Integer.toString(replicas),
                peers,
                Long.toString(SNAPSHOT_EVERY),
                TOMBSTONE_RETENTION.toString()));
        args.addAll(List.of(extra));
        return new Node(
                "c" + i,
                javaCommand(CoordinatorProcessMain.class, args.toArray(String[]::new)),
                dir.resolve("c" + i + ".log"));
    }

    /** Adds coordinator {@code c<n>} as a process (not yet a member): its peers are the current members and itself. */
    int startExtraCoordinator(int replicas) throws IOException {
        int i = coordinators.size();
        coordinatorHttpPorts.add(freePortPair());
        coordinatorRaftPorts.add(freePort());
        StringJoiner peers = new StringJoiner(",");
        for (int j = 0; j <= i; j++) {
            peers.add("c" + j + "=127.0.0.1:" + coordinatorRaftPorts.get(j));
        }
        Node node = coordinatorNode(i, peers.toString(), replicas, "join");
        coordinators.add(node);
        launch(node);
        return i;
    }

    String raftAddress(int coordinator) {
        return "127.0.0.1:" + coordinatorRaftPorts.get(coordinator);
    }

    private static List<String> javaCommand(Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(List.of(args));
        return command;
    }

    private void launch(Node node) throws IOException {
        node.process = new ProcessBuilder(node.command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(node.log.toFile()))
                .start();
    }

    List<URI> coordinatorUrls() {
        return coordinatorHttpPorts.stream()
                .map(p -> URI.create("http://127.0.0.1:" + p))
                .toList();
    }

    URI coordinatorUrl(int i) {
        return coordinatorUrls().get(i);
    }

    /** Coordinator {@code i}'s public gRPC address, {@code host:port}: its HTTP port + 1 (CoordinatorProcessMain). */
    String coordinatorGrpcTarget(int i) {
        return "127.0.0.1:" + (coordinatorHttpPorts.get(i) + 1);
    }

    URI volumeUrl(int i) {
        return URI.create("http://127.0.0.1:" + volumeHttpPorts.get(i));
    }

    int coordinatorCount() {
        return coordinators.size();
    }

    /**
     * Waits until every running coordinator is healthy (it knows the leader and the leader's address)
     * and {@code volumesUp} volumes are up.
     */
    void awaitHealthy(int volumesUp) {
        await().atMost(STARTUP)
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> {
                    for (int i = 0; i < coordinators.size(); i++) {
                        if (!running(coordinators.get(i))) {
                            continue;
                        }
                        JsonNode health = get(coordinatorUrl(i).resolve("/health"));
                        if (!"healthy".equals(health.path("status").asText())
                                || health.path("volumes_up").asInt() < volumesUp) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    /** The index of the coordinator that says it is the leader. */
    int leader() {
        return await().atMost(STARTUP)
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(
                        () -> {
                            for (int i = 0; i < coordinators.size(); i++) {
                                if (running(coordinators.get(i))
                                        && "leader"
                                                .equals(get(coordinatorUrl(i).resolve("/health"))
                                                        .path("role")
                                                        .asText())) {
                                    return i;
                                }
                            }
                            return -1;
                        },
                        i -> i >= 0);
    }

    JsonNode get(URI uri) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return JSON.readTree(response.body());
    }

    void killCoordinator(int i) throws InterruptedException {
        kill(coordinators.get(i));
    }

    void restartCoordinator(int i) throws IOException {
        launch(coordinators.get(i));
    }

    void killVolume(int i) throws InterruptedException {
        kill(volumes.get(i));
    }

    /** Starts volume {@code i} again on its data and waits until its HTTP API answers (it serves gRPC first). */
    void restartVolume(int i) throws IOException {
        launch(volumes.get(i));
        URI health = volumeUrl(i).resolve("/health");
        await().atMost(STARTUP)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> http.send(
                                        HttpRequest.newBuilder(health)
                                                .timeout(Duration.ofSeconds(5))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200);
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    private static void kill(Node node) throws InterruptedException {
        if (node.process != null) {
            node.process.destroyForcibly();
            node.process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Stops every node gracefully (SIGTERM), as an operator would. */
    void stopAll() throws InterruptedException {
        List<Node> all = new ArrayList<>(volumes);
        all.addAll(coordinators);
        for (Node node : all) {
            if (running(node)) {
                node.process.destroy();
            }
        }
        for (Node node : all) {
            if (node.process != null && !node.process.waitFor(30, TimeUnit.SECONDS)) {
                node.process.destroyForcibly();
            }
        }
    }

    void startAll() throws IOException {
        for (Node node : coordinators) {
            launch(node);
        }
        for (Node node : volumes) {
            launch(node);
        }
    }

    private static boolean running(Node node) {
        return node.process != null && node.process.isAlive();
    }

    /** The last lines of every node's log, for a failure message. */
    String logs() {
        StringBuilder text = new StringBuilder();
        List<Node> all = new ArrayList<>(coordinators);
        all.addAll(volumes);
        for (Node node : all) {
            try {
                List<String> lines = Files.readAllLines(node.log);
                text.append("--- ").append(node.id).append(" (first errors)\n");
                lines.stream()
                        .filter(l -> l.contains(" ERROR "))
                        .limit(5)
                        .forEach(l -> text.append(l).append('\n'));
                text.append("--- ").append(node.id).append(" (last lines)\n");
                lines.subList(Math.max(0, lines.size() - 15), lines.size())
                        .forEach(l -> text.append(l).append('\n'));
            } catch (IOException e) {
                text.append("--- ").append(node.id).append(": no log\n");
            }
        }
        return text.toString();
    }

    @Override
    public void close() {
        List<Node> all = new ArrayList<>(volumes);
        all.addAll(coordinators);
        for (Node node : all) {
            if (node.process != null) {
                node.process.destroyForcibly();
            }
        }
        for (Node node : all) {
            if (node.process != null) {
                try {
                    node.process.waitFor(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /**
     * A port no node has been given yet and nothing listens on. Nodes need their ports before they
     * start (Raft peers name each other), so the port is closed again before the node binds it.
     * It is drawn below Linux's ephemeral range (32768 and up), where the kernel never hands ports
     * to outgoing connections or to other servers binding port 0 meanwhile; and never twice in
     * this JVM, where the kernel's own choice of a free port often repeats one just closed.
     */
    private static int freePort() throws IOException {
        while (true) {
            int port = ThreadLocalRandom.current().nextInt(FIRST_PORT, LAST_PORT);
            if (bindable(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
    }

    /** A free port whose successor is free too (a coordinator's HTTP and gRPC ports). */
    private static int freePortPair() throws IOException {
        while (true) {
            int port = freePort();
            if (bindable(port + 1) && HANDED_OUT.add(port + 1)) {
                return port;
            }
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
