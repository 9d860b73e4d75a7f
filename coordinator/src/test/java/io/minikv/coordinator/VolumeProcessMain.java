package io.minikv.coordinator;

import io.minikv.volume.HostPort;
import io.minikv.volume.VolumeConfig;
import io.minikv.volume.VolumeServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A volume in a child process of a cluster test: {@code ID HTTP GRPC DATA COORDINATOR_URLS}
 * (comma separated). Prints "ready" on stdout once it listens.
 */
public final class VolumeProcessMain {
    private VolumeProcessMain() {}

    public static void main(String[] args) throws Exception {
        VolumeConfig config = VolumeConfig.standalone(args[0], HostPort.parse(args[1]), Path.of(args[3]))
                .withGrpc(HostPort.parse(args[2]))
                .withCoordinators(
                        Arrays.stream(args[4].split(",")).map(URI::create).toList());
        VolumeServer server = VolumeServer.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        System.out.println("ready");
        System.out.flush();
        server.awaitStopped();
    }
}
