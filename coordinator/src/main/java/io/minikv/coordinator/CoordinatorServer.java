package io.minikv.coordinator;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.helidon.webserver.WebServer;
import io.minikv.proto.MinikvException;
import io.minikv.proto.v1.CoordinatorState;
import io.minikv.proto.v1.MetadataCommand;
import io.minikv.proto.v1.RegisterCoordinator;
import io.minikv.volume.BodyIdleTimeout;
import io.minikv.volume.GrpcCallLimit;
import io.minikv.volume.HostPort;
import io.minikv.volume.HttpListener;
import io.minikv.volume.StopSequence;
import io.minikv.volume.UploadSlots;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running coordinator: its Raft member with the metadata state machine, the two-phase-commit
 * writer, the background duties of the leader (volume liveness, transaction resolution, repair) and
 * the public HTTP and gRPC APIs. Everything started is stopped in the reverse order.
 */
public final class CoordinatorServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorServer.class);

    private final CoordinatorConfig config;
    private final StopSequence running;
    private final HostPort httpAddress;
    private final HostPort grpcAddress;
    private final RaftNode raft;

    private CoordinatorServer(
            CoordinatorConfig config, StopSequence running, HostPort httpAddress, HostPort grpcAddress, RaftNode raft) {
        this.config = config;
        this.running = running;
        this.httpAddress = httpAddress;
        this.grpcAddress = grpcAddress;
        this.raft = raft;
    }

    /** Starts the Raft member and the APIs; returns once they listen (a leader may not be elected yet). */
    public static CoordinatorServer start(CoordinatorConfig config) throws IOException {
        StopSequence running = new StopSequence();
        try {
            Files.createDirectories(config.dbDir());
            MetadataStateMachine stateMachine = new MetadataStateMachine(config.snapshotMinWrites());
            MetadataState state = stateMachine.state();
            RaftNode raft = RaftNode.start(config, stateMachine);
            running.add("Raft member", raft::close);
            VolumeClients volumes = new VolumeClients();
            running.add("volume connections", volumes::close);
            CoordinatorMetrics metrics = new CoordinatorMetrics(config.id());
            metrics.watch(raft, state);
            ValueCache cache = new ValueCache(config.valueCacheBytes());
            metrics.watch(cache);
            WriteCoordinator writes = new WriteCoordinator(raft, state, volumes, config, metrics, cache);
            running.add("writer", writes::close);
            VolumeLiveness liveness = new VolumeLiveness(raft, state, volumes, config.volumeDownAfter());
            TransactionResolver resolver = new TransactionResolver(raft, state, volumes, writes);
            Repairer repairer = new Repairer(raft, state, volumes, writes);
            ExecutorService readBarriers = Executors.newVirtualThreadPerTaskExecutor();
            running.add("read barriers", readBarriers::shutdownNow);
            UploadSlots puts = new UploadSlots(config.maxConcurrentPuts());
            metrics.watch(puts);
            GrpcCallLimit grpcCalls = new GrpcCallLimit(config.requestLimits().maxConcurrentRequests());
            metrics.watch(grpcCalls);
            BodyIdleTimeout bodyIdleTimeout = new BodyIdleTimeout(config.bodyIdleTimeout());
            running.add("body idle timeout", bodyIdleTimeout::close);
            BlobReader reader = new BlobReader(new LinearizableReads(raft, state, readBarriers), state, volumes, cache);
            CoordinatorRoutes routes = new CoordinatorRoutes(
                    raft,
                    state,
                    new BlobApi(writes, reader, bodyIdleTimeout),
                    new ClusterApi(
                            raft,
                            state,
                            config,
                            liveness,
                            new ClusterOperations(raft, state, volumes, repairer, config.replicas()),
                            bodyIdleTimeout),
                    new LeaderForwarder(raft, state, bodyIdleTimeout),
                    puts,
                    metrics);
            WebServer http = HttpListener.start(
                    config.http(), config.shutdownGracePeriod(), config.requestLimits(), routes::handle);
            running.add("HTTP server", http::stop);
            HostPort httpAddress = new HostPort(config.http().host(), http.port());
            GrpcLeaderForwarder grpcForwarder = new GrpcLeaderForwarder(raft, state);
            running.add("gRPC forwarding", grpcForwarder::close);
            KvGrpcService kv = new KvGrpcService(raft, writes, reader, grpcForwarder, puts);
            running.add("gRPC workers", kv::close);
            ClusterView view = new ClusterView(raft, state, config);
            Server grpc = startGrpc(
                    config,
                    kv,
                    new ClusterGrpcService(view, new Membership(raft, view)),
                    new LeaderHeader(raft, state),
                    grpcCalls);
            running.add("gRPC server", () -> stopGrpc(grpc, config));
            HostPort grpcAddress = new HostPort(config.grpc().host(), grpc.getPort());

            ScheduledExecutorService duties = Executors.newScheduledThreadPool(
                    3, Thread.ofPlatform().name("coordinator-duty-", 0).daemon().factory());
            running.add("background duties", duties::shutdownNow);
            RegisterCoordinator self = RegisterCoordinator.newBuilder()
                    .setCoordinatorId(config.id())
                    .setHttpAddress(httpAddress.toString())
                    .setGrpcAddress(grpcAddress.toString())
                    .build();
            duties.scheduleWithFixedDelay(() -> announce(raft, state, self), 0, 500, TimeUnit.MILLISECONDS);
            duties.scheduleWithFixedDelay(
                    safely("volume liveness", liveness::markSilentVolumesDown), 1, 1, TimeUnit.SECONDS);
            duties.scheduleWithFixedDelay(
                    safely("volume channels", liveness::keepChannelsWarm), 1, 5, TimeUnit.SECONDS);
            duties.scheduleWithFixedDelay(
                    safely("transaction resolution", resolver::resolveAll), 2, 2, TimeUnit.SECONDS);
            duties.scheduleWithFixedDelay(
                    safely("repair", () -> repairer.repairIfNeeded(config.replicas())), 3, 3, TimeUnit.SECONDS);
            TombstonePurger purger = new TombstonePurger(raft, state, writes, config.tombstoneRetention());
            long purgeEvery =
                    TombstonePurger.interval(config.tombstoneRetention()).toMillis();
            duties.scheduleWithFixedDelay(
                    safely("tombstone purge", purger::purge), purgeEvery, purgeEvery, TimeUnit.MILLISECONDS);
            LOG.info(
                    "coordinator {} serving HTTP on {}, gRPC on {}, Raft on {}, metadata in {}; replicas {}, write quorum {}",
                    config.id(),
                    httpAddress,
                    grpcAddress,
                    config.raft(),
                    config.dbDir().toAbsolutePath(),
                    config.replicas(),
                    config.writeQuorum());
            return new CoordinatorServer(config, running, httpAddress, grpcAddress, raft);
        } catch (IOException | RuntimeException e) {
            running.stop();
            throw e;
        }
    }

    /**
     * The public gRPC services. Their handlers run on the transport's threads and hand blocking work to
     * a virtual thread of their own, one per call: gRPC's own executor would start a virtual thread for
     * each event of a call instead (its start, each message, its half-close, its end), each a hand-off
     * between threads that costs CPU (docs/benchmarks.md, session 19). Chunks are at most {@link
     * KvGrpcService#MAX_CHUNK} bytes, plus a little for the framing.
     */
    private static Server startGrpc(
            CoordinatorConfig config,
            KvGrpcService kv,
            ClusterGrpcService cluster,
            LeaderHeader leader,
            GrpcCallLimit calls)
            throws IOException {
        HttpListener.checkCanListen(config.grpc());
        return NettyServerBuilder.forAddress(new InetSocketAddress(
                        config.grpc().host(), config.grpc().port()))
                .directExecutor()
                .maxInboundMessageSize(KvGrpcService.MAX_CHUNK + 1024)
                .addService(ServerInterceptors.intercept(kv, GrpcLeaderForwarder.interceptor(), leader, calls))
                .addService(ServerInterceptors.intercept(cluster, leader, calls))
                .build()
                .start();
    }

    private static void stopGrpc(Server grpc, CoordinatorConfig config) throws InterruptedException {
        grpc.shutdown();
        if (!grpc.awaitTermination(config.shutdownGracePeriod().toMillis(), TimeUnit.MILLISECONDS)) {
            grpc.shutdownNow();
        }
    }

    /** Makes this coordinator's API addresses part of the metadata, once, so that followers can forward to it. */
    private static void announce(RaftNode raft, MetadataState state, RegisterCoordinator self) {
        Optional<CoordinatorState> known = state.coordinator(self.getCoordinatorId());
        if (known.isPresent()
                && known.get().getHttpAddress().equals(self.getHttpAddress())
                && known.get().getGrpcAddress().equals(self.getGrpcAddress())) {
            return;
        }
        if (raft.leaderId() == null) {
            return;
        }
        try {
            raft.submit(
                    MetadataCommand.newBuilder().setRegisterCoordinator(self).build());
        } catch (MinikvException.Unavailable e) {
            LOG.debug("announcing this coordinator failed, will retry: {}", e.getMessage());
        }
    }

    private static Runnable safely(String what, Runnable duty) {
        return () -> {
            try {
                duty.run();
            } catch (RuntimeException e) {
                LOG.warn("{} failed: {}", what, e.toString());
            }
        };
    }

    public HostPort httpAddress() {
        return httpAddress;
    }

    /** The public gRPC address, with the port actually bound. */
    public HostPort grpcAddress() {
        return grpcAddress;
    }

    public CoordinatorConfig config() {
        return config;
    }

    /** Whether this coordinator is the leader and ready to take writes. */
    public boolean isLeader() {
        return raft.isLeaderReady();
    }

    public void stop() {
        if (running.stop()) {
            LOG.info("coordinator {} stopped", config.id());
        }
    }

    public void awaitStopped() {
        running.awaitStopped();
    }

    @Override
    public void close() {
        stop();
    }
}
