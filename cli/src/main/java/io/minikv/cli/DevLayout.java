package io.minikv.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Where the nodes of a {@code minikv dev} cluster listen and keep their data: coordinator i (id
 * {@code c<i>}) serves HTTP on base+10i, gRPC on base+10i+1 and Raft on base+10i+2; volume i (id
 * {@code v<i>}) serves HTTP on base+1000+10i and gRPC on base+1000+10i+1. Node data goes to
 * {@code DIR/<id>}, logs to {@code DIR/logs/<id>.log}. The same options give the same layout, so a
 * second run finds the first one's data.
 *
 * @param dataDir the directory every node keeps its data under, made absolute
 * @param basePort the first coordinator's HTTP port
 */
record DevLayout(Path dataDir, int coordinators, int volumes, int replicas, int basePort) {
    static final int DEFAULT_BASE_PORT = 5000;
    /** Room for a hundred coordinators below the first volume's ports. */
    static final int VOLUME_PORT_OFFSET = 1000;

    static final int PORT_STEP = 10;
    private static final int MAX_PORT = 65535;

    /** @throws IllegalArgumentException saying which option is wrong and why */
    DevLayout {
        dataDir = dataDir.toAbsolutePath().normalize();
        if (coordinators < 1 || volumes < 1 || replicas < 1) {
            throw new IllegalArgumentException("--coordinators, --volumes and --replicas must be at least 1");
        }
        if (replicas > volumes) {
            throw new IllegalArgumentException(
                    "--replicas " + replicas + " needs at least as many volumes, got --volumes " + volumes);
        }
        if (coordinators * PORT_STEP > VOLUME_PORT_OFFSET) {
            throw new IllegalArgumentException("--coordinators must be at most " + VOLUME_PORT_OFFSET / PORT_STEP
                    + " (their ports would reach the volumes')");
        }
        int highestPort = basePort + VOLUME_PORT_OFFSET + PORT_STEP * (volumes - 1) + 1;
        if (basePort < 1 || highestPort > MAX_PORT) {
            throw new IllegalArgumentException(
                    "--base-port " + basePort + " with " + volumes + " volumes puts ports outside 1.." + MAX_PORT);
        }
    }

    /**
     * An even number of coordinators is allowed, but a Raft majority of 2k survives no more
     * failures than one of 2k-1 does, so it is only worth a warning.
     */
    Optional<String> warning() {
        return coordinators % 2 == 0
                ? Optional.of("a Raft group of " + coordinators + " survives no more failures than one of "
                        + (coordinators - 1) + " (a majority of " + coordinators + " is " + (coordinators / 2 + 1)
                        + "); an odd --coordinators is better")
                : Optional.empty();
    }

    Path logDir() {
        return dataDir.resolve("logs");
    }

    /** The coordinators in order, then the volumes. */
    List<DevNode> nodes() {
        List<DevNode> nodes = new ArrayList<>();
        for (int i = 0; i < coordinators; i++) {
            nodes.add(coordinator(i));
        }
        for (int i = 0; i < volumes; i++) {
            nodes.add(volume(i));
        }
        return nodes;
    }

    private DevNode coordinator(int i) {
        String id = "c" + i;
        int http = coordinatorHttpPort(i);
        Path db = dataDir.resolve(id);
        return new DevNode(
                id,
                DevNode.Role.COORDINATOR,
                http,
                http + 1,
                OptionalInt.of(http + 2),
                db,
                log(id),
                serve(
                        "coord",
                        id,
                        http,
                        "--raft",
                        DevNode.address(http + 2),
                        "--db",
                        db.toString(),
                        "--peers",
                        IntStream.range(0, coordinators)
                                .mapToObj(c -> "c" + c + "=" + DevNode.address(coordinatorHttpPort(c) + 2))
                                .collect(Collectors.joining(",")),
                        "--replicas",
                        Integer.toString(replicas)));
    }

    private DevNode volume(int i) {
        String id = "v" + i;
        int http = basePort + VOLUME_PORT_OFFSET + PORT_STEP * i;
        Path data = dataDir.resolve(id);
        return new DevNode(
                id,
                DevNode.Role.VOLUME,
                http,
                http + 1,
                OptionalInt.empty(),
                data,
                log(id),
                serve(
                        "volume",
                        id,
                        http,
                        "--data",
                        data.toString(),
                        "--coordinators",
                        IntStream.range(0, coordinators)
                                .mapToObj(c -> "http://" + DevNode.address(coordinatorHttpPort(c)))
                                .collect(Collectors.joining(","))));
    }

    /** {@code GROUP serve --id ID --bind HOST:HTTP --grpc HOST:HTTP+1 MORE...}: how every node starts. */
    private static List<String> serve(String group, String id, int http, String... more) {
        List<String> arguments = new ArrayList<>(List.of(
                group, "serve", "--id", id, "--bind", DevNode.address(http), "--grpc", DevNode.address(http + 1)));
        arguments.addAll(List.of(more));
        return arguments;
    }

    private int coordinatorHttpPort(int i) {
        return basePort + PORT_STEP * i;
    }

    private Path log(String id) {
        return logDir().resolve(id + ".log");
    }
}
