package io.minikv.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A {@code --base-port} whose whole {@link DevLayout} is free on loopback right now. It is drawn
 * below Linux's ephemeral range (32768 and up), where the system does not hand out ports on its own.
 */
final class FreeBasePort {
    private static final int LOWEST = 10_000;
    private static final int HIGHEST = 30_000;

    private FreeBasePort() {}

    static int find(int coordinators, int volumes) throws IOException {
        SplittableRandom random = new SplittableRandom();
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = LOWEST + DevLayout.PORT_STEP * random.nextInt((HIGHEST - LOWEST) / DevLayout.PORT_STEP);
            List<Integer> ports = new ArrayList<>();
            for (DevNode node : new DevLayout(Path.of("unused"), coordinators, volumes, 1, base).nodes()) {
                ports.add(node.httpPort());
                ports.add(node.grpcPort());
                node.raftPort().ifPresent(ports::add);
            }
            if (ports.stream().allMatch(FreeBasePort::isFree)) {
                return base;
            }
        }
        throw new IOException(
                "no free range of ports for " + coordinators + " coordinators and " + volumes + " volumes");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort() == port;
        } catch (IOException e) {
            return false;
        }
    }
}
