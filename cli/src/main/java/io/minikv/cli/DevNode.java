package io.minikv.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * One node of a {@code minikv dev} cluster: where it listens, where it keeps its data and log, and
 * the {@code minikv} arguments that run it. Every node listens on 127.0.0.1.
 *
 * @param raftPort the Raft port of a coordinator; empty for a volume
 * @param arguments the {@code minikv} command line, such as {@code volume serve --id v0 ...}
 */
record DevNode(
        String id,
        Role role,
        int httpPort,
        int grpcPort,
        OptionalInt raftPort,
        Path dataDir,
        Path log,
        List<String> arguments) {

    static final String HOST = "127.0.0.1";

    enum Role {
        COORDINATOR,
        VOLUME
    }

    DevNode {
        arguments = List.copyOf(arguments);
    }

    static String address(int port) {
        return HOST + ":" + port;
    }

    URI httpUrl() {
        return URI.create("http://" + address(httpPort));
    }
}
