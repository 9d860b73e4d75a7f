package io.minikv.coordinator;

import io.minikv.volume.HostPort;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A coordinator in a child process of a cluster test: {@code ID HTTP RAFT DB REPLICAS PEERS SNAPSHOT_EVERY
 * TOMBSTONE_RETENTION}, where PEERS is {@code id=host:port,...} and the retention an ISO-8601 duration. Prints "ready" on stdout once it listens.
 */
public final class CoordinatorProcessMain {
    private CoordinatorProcessMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, HostPort> peers = new LinkedHashMap<>();
        for (String peer : args[5].split(",")) {
            String[] parts = peer.split("=", 2);
            peers.put(parts[0], HostPort.parse(parts[1]));
        }
        HostPort http = HostPort.parse(args[1]);
        CoordinatorConfig config = CoordinatorConfig.of(
                        args[0],
                        http,
                        new HostPort(http.host(), http.port() + 1),
                        HostPort.parse(args[2]),
                        Path.of(args[3]),
                        peers)
                .withReplicas(Integer.parseInt(args[4]))
                .withVolumeDownAfter(java.time.Duration.ofSeconds(3))
                .withSnapshotEvery(Long.parseLong(args[6]))
                .withTombstoneRetention(java.time.Duration.parse(args[7]))
                .withJoining(args.length > 8 && args[8].equals("join"));
        CoordinatorServer server = CoordinatorServer.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        System.out.println("ready");
        System.out.flush();
        server.awaitStopped();
    }
}
