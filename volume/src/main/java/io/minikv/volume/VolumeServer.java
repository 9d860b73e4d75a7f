package io.minikv.volume;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running volume server: its blob store and the servers in front of it. Everything it starts is
 * recorded in order and stopped in the reverse order, so the store closes only after the servers
 * that use it have finished their requests.
 *
 * <pre>{@code
 * try (VolumeServer server = VolumeServer.start(VolumeConfig.standalone("v1", HostPort.parse("127.0.0.1:0"), dir))) {
 *     int port = server.httpAddress().port();
 * }
 * }</pre>
 */
public final class VolumeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeServer.class);

    private final VolumeConfig config;
    private final StopSequence running;
    private final HostPort httpAddress;
    private final HostPort grpcAddress;

    private VolumeServer(VolumeConfig config, StopSequence running, HostPort httpAddress, HostPort grpcAddress) {
        this.config = config;
        this.running = running;
        this.httpAddress = httpAddress;
        this.grpcAddress = grpcAddress;
    }

    /**
     * Opens the blob store and starts serving.
     *
     * @throws io.minikv.storage.StoreLockedException when another process uses the data directory
     * @throws IOException when the store cannot be opened or the address cannot be listened on
     */
    public static VolumeServer start(VolumeConfig config) throws IOException {
        StopSequence running = new StopSequence();
        try {
            BlobStore blobs = BlobStore.open(config.dataDir(), config.storeOptions(), config.maxBlobSize());
            running.add("blob store", blobs::close);
            UploadSlots uploads = new UploadSlots(config.maxConcurrentUploads());
            GrpcCallLimit grpcCalls = new GrpcCallLimit(config.requestLimits().maxConcurrentRequests());
            VolumeMetrics metrics = new VolumeMetrics(config.id(), blobs, uploads, grpcCalls);
            BodyIdleTimeout bodyIdleTimeout = new BodyIdleTimeout(config.bodyIdleTimeout());
            running.add("body idle timeout", bodyIdleTimeout::close);
            HttpRoutes routes = new HttpRoutes(
                    new BlobEndpoints(blobs, config.id(), config.replica(), uploads, metrics, bodyIdleTimeout),
                    new HealthEndpoint(blobs, config.id(), config.replica(), uploads),
                    metrics);
            HostPort grpcAddress = null;
            if (config.grpc() != null) {
                VolumeGrpcService service = new VolumeGrpcService(blobs, config.id(), uploads);
                running.add("gRPC workers", service::close);
                Server grpc = startGrpc(config, service, grpcCalls);
                running.add("gRPC server", () -> stopGrpc(grpc, config));
                grpcAddress = new HostPort(config.grpc().host(), grpc.getPort());
            }
            WebServer http = HttpListener.start(
                    config.http(), config.shutdownGracePeriod(), config.requestLimits(), routes::handle);
            running.add("HTTP server", http::stop);
            HostPort httpAddress = new HostPort(config.http().host(), http.port());
            String mode = "standalone";
            if (config.replica()) {
                HostPort advertisedHttp = AdvertisedAddress.of(httpAddress);
                HostPort advertisedGrpc = AdvertisedAddress.of(grpcAddress);
                CoordinatorHeartbeats heartbeats =
                        CoordinatorHeartbeats.start(config.id(), config.coordinators(), advertisedHttp, advertisedGrpc);
                running.add("heartbeats", heartbeats::close);
                mode = "replica of coordinators " + config.coordinators() + " (public HTTP is read-only;"
                        + " heartbeats advertise HTTP " + advertisedHttp + " and gRPC " + advertisedGrpc + ")";
            }
            LOG.info(
                    "volume {} serving HTTP on {}, data in {}, {}{}",
                    config.id(),
                    httpAddress,
                    config.dataDir().toAbsolutePath(),
                    mode,
                    grpcAddress == null ? "" : "; internal gRPC on " + grpcAddress);
            return new VolumeServer(config, running, httpAddress, grpcAddress);
        } catch (IOException | RuntimeException e) {
            running.stop();
            throw e;
        }
    }

    /**
     * The internal gRPC service (docs/protocol.md). Its handlers run on the transport's threads and hand
     * blocking work to a virtual thread of their own, one per call, rather than gRPC's executor starting
     * one for each event of a call.
     */
    private static Server startGrpc(VolumeConfig config, VolumeGrpcService service, GrpcCallLimit calls)
            throws IOException {
        HttpListener.checkCanListen(config.grpc());
        return NettyServerBuilder.forAddress(new InetSocketAddress(
                        config.grpc().host(), config.grpc().port()))
                .directExecutor()
                .maxInboundMessageSize(4 * VolumeGrpcService.CHUNK_SIZE)
                .addService(ServerInterceptors.intercept(service, calls))
                .build()
                .start();
    }

    private static void stopGrpc(Server grpc, VolumeConfig config) throws InterruptedException {
        grpc.shutdown();
        if (!grpc.awaitTermination(config.shutdownGracePeriod().toMillis(), TimeUnit.MILLISECONDS)) {
            grpc.shutdownNow();
        }
    }

    /** The internal gRPC address with the port actually bound, or null when gRPC is not served. */
    public HostPort grpcAddress() {
        return grpcAddress;
    }

    /** The address HTTP is served on, with the port actually bound. */
    public HostPort httpAddress() {
        return httpAddress;
    }

    public VolumeConfig config() {
        return config;
    }

    /**
     * Stops gracefully: no new connections; requests in flight get up to the configured grace
     * period to finish; then the store is closed. Returns when everything is stopped. Calling it
     * again, from any thread, waits for the first call to finish.
     */
    public void stop() {
        if (running.stop()) {
            LOG.info("volume {} stopped", config.id());
        }
    }

    /** Waits until {@link #stop} has finished. */
    public void awaitStopped() {
        running.awaitStopped();
    }

    @Override
    public void close() {
        stop();
    }
}
