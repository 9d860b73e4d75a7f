package io.minikv.volume;

import io.helidon.common.socket.SocketOptions;
import io.helidon.http.DirectHandler;
import io.helidon.webserver.ErrorHandling;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http1.Http1Config;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;

/**
 * Starts the HTTP server of a volume or coordinator: one handler for every request, JSON errors,
 * TCP_NODELAY, and the {@link RequestLimits}.
 */
public final class HttpListener {
    /** Long enough for a blob key of 1024 bytes, percent-encoded, in the request line. */
    private static final int MAX_REQUEST_LINE = 8192;

    private HttpListener() {}

    /**
     * Starts serving {@code handler} on {@code address}.
     *
     * @throws IOException when the address cannot be listened on
     */
    public static WebServer start(HostPort address, Duration shutdownGracePeriod, RequestLimits limits, Handler handler)
            throws IOException {
        checkCanListen(address);
        DirectHandlers.Builder jsonErrors = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            jsonErrors.addHandler(type, ErrorResponses.transportErrors());
        }
        WebServer http = WebServer.builder()
                .host(address.host())
                .port(address.port())
                .shutdownHook(false)
                .shutdownGracePeriod(shutdownGracePeriod)
                // Without TCP_NODELAY, a response's last small write waits for the client's delayed
                // ACK: about 40 ms added to many large GETs (docs/benchmarks.md).
                .connectionOptions(SocketOptions.builder().tcpNoDelay(true).build())
                .maxConcurrentRequests(limits.maxConcurrentRequests())
                .maxTcpConnections(limits.maxConnections())
                .directHandlers(jsonErrors.build())
                // Helidon's own refusals (a malformed request, too many at once) then say why.
                .errorHandling(ErrorHandling.builder().includeEntity(true).build())
                .addProtocol(Http1Config.builder()
                        .maxPrologueLength(MAX_REQUEST_LINE)
                        .build())
                .routing(routing -> routing.any(handler))
                .build();
        http.start();
        if (!http.isRunning()) {
            throw new IOException("cannot listen on " + address + " (is the port in use?)");
        }
        return http;
    }

    /**
     * Fails with the reason when {@code address} cannot be listened on. Helidon reports a failed
     * bind only in its own log; trying first puts the reason (address in use, no such interface)
     * into the error the caller sees.
     */
    public static void checkCanListen(HostPort address) throws IOException {
        if (address.port() == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(address.host(), address.port()));
        } catch (IOException e) {
            throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }
}
