package io.minikv.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Loopback ports that were free a moment ago, for nodes that need their ports before they start. */
final class FreePorts {
    private FreePorts() {}

    /**
     * {@code count} distinct ports, chosen by the kernel. All sockets are held open until every port is
     * chosen so that no port is handed out twice; another process may still take one before the node
     * binds it, in which case the node fails to start and says so in its log.
     */
    static int[] take(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
