package io.minikv.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.maintenance.StatusResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A 3-member etcd cluster on loopback: each member an {@code etcd} child process with its own client
 * and peer ports and a data directory under {@link ScratchDirectory}. etcd fsyncs its write-ahead log
 * before it acknowledges a write (there is no flag to turn that off in 3.4), so writes are durable.
 *
 * <p>Flags beyond the addresses: {@code --quota-backend-bytes} 8 GiB (etcd's suggested maximum; the
 * default 2 GiB fills up during the 1 MiB rows, because etcd keeps every revision until compacted),
 * and the default heartbeat (100 ms) and election timeout (1,000 ms). The default request limit
 * ({@code --max-request-bytes} 1.5 MiB) admits the 1 MiB values, so it is left alone.
 */
final class EtcdCluster implements ClusterUnderTest {
    static final int MEMBERS = 3;
    static final long QUOTA_BACKEND_BYTES = 8L << 30;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(10);

    private final ScratchDirectory directory;
    private final List<URI> endpoints;
    private final List<NodeProcess> nodes;
    private final int connectionsPerMember;
    private final Client admin;
    private long compactedRevision;

    private EtcdCluster(
            ScratchDirectory directory, List<URI> endpoints, List<NodeProcess> nodes, int connectionsPerMember) {
        this.directory = directory;
        this.endpoints = endpoints;
        this.nodes = nodes;
        this.connectionsPerMember = connectionsPerMember;
        this.admin = Client.builder().endpoints(endpoints.toArray(URI[]::new)).build();
    }

    /** Starts the members with {@code etcd} (a path or a name on PATH) and waits until all are healthy. */
    static EtcdCluster start(String etcd, int connectionsPerMember) throws IOException, InterruptedException {
        ScratchDirectory directory = ScratchDirectory.create("etcd-");
        int[] ports = FreePorts.take(2 * MEMBERS);
        List<String> initialCluster = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            initialCluster.add(name(i) + "=" + url(ports[2 * i + 1]));
        }
        List<URI> endpoints = new ArrayList<>();
        List<NodeProcess> nodes = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            String client = url(ports[2 * i]);
            String peer = url(ports[2 * i + 1]);
            endpoints.add(URI.create(client));
            List<String> command = List.of(
                    etcd,
                    "--name=" + name(i),
                    "--data-dir=" + directory.path().resolve(name(i)),
                    "--listen-client-urls=" + client,
                    "--advertise-client-urls=" + client,
                    "--listen-peer-urls=" + peer,
                    "--initial-advertise-peer-urls=" + peer,
                    "--initial-cluster=" + String.join(",", initialCluster),
                    "--initial-cluster-state=new",
                    "--initial-cluster-token=minikv-bench",
                    "--quota-backend-bytes=" + QUOTA_BACKEND_BYTES,
                    "--logger=zap",
                    "--log-outputs=stderr");
            nodes.add(NodeProcess.start(command, directory.path().resolve(name(i) + ".log")));
        }
        EtcdCluster cluster = new EtcdCluster(directory, List.copyOf(endpoints), nodes, connectionsPerMember);
        try {
            cluster.awaitHealthy();
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    @Override
    public String name() {
        return "etcd";
    }

    @Override
    public String description() throws IOException, InterruptedException {
        return "etcd " + status(0).getVersion() + ", " + MEMBERS + " members, --quota-backend-bytes="
                + QUOTA_BACKEND_BYTES + ", heartbeat 100 ms and election timeout 1000 ms (defaults), WAL fsynced"
                + " before each acknowledgement";
    }

    @Override
    public int members() {
        return MEMBERS;
    }

    @Override
    public KvDriver driver(Duration timeout) {
        return new EtcdDriver(endpoints, connectionsPerMember, timeout);
    }

    /** Asks each member's maintenance status for its own id and its leader's; the leader is the one whose ids match. */
    @Override
    public int leader() throws IOException, InterruptedException {
        IOException failure = new IOException("no etcd member reports itself as leader");
        for (int i = 0; i < MEMBERS; i++) {
            try {
                StatusResponse status = status(i);
                if (status.getLeader() != 0
                        && status.getLeader() == status.getHeader().getMemberId()) {
                    return i;
                }
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
        throw failure;
    }

    @Override
    public void kill(int member) throws InterruptedException {
        nodes.get(member).kill();
    }

    @Override
    public void restart(int member) throws IOException, InterruptedException {
        nodes.get(member).start();
        awaitHealthy();
    }

    @Override
    public Duration cpuTime() {
        return nodes.stream().map(NodeProcess::cpuTime).reduce(Duration.ZERO, Duration::plus);
    }

    /**
     * Compacts the key history up to the current revision: etcd keeps every revision of every key
     * until it is told otherwise, and the next row should not pay for the previous row's history.
     * Freed pages are reused by the next writes; the file is not defragmented.
     */
    @Override
    public void betweenRows() throws IOException, InterruptedException {
        long revision = await(admin.getKVClient().get(ByteSequence.from("bench/", StandardCharsets.UTF_8)))
                .getHeader()
                .getRevision();
        if (revision > compactedRevision) {
            await(admin.getKVClient().compact(revision));
            compactedRevision = revision;
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        admin.close();
        for (NodeProcess node : nodes) {
            node.stop();
        }
        directory.close();
    }

    private void awaitHealthy() throws IOException, InterruptedException {
        for (int i = 0; i < MEMBERS; i++) {
            URI health = endpoints.get(i).resolve("/health");
            NodeProcess node = nodes.get(i);
            Poll.until(name(i) + " healthy at " + health + " (log: " + node.log() + ")", START_TIMEOUT, () -> {
                if (!node.isAlive()) {
                    throw new IOException("etcd exited; see " + node.log());
                }
                return Poll.get(health).statusCode() == 200;
            });
        }
        Poll.until("an etcd leader", START_TIMEOUT, () -> leader() >= 0);
    }

    private StatusResponse status(int member) throws IOException, InterruptedException {
        return await(
                admin.getMaintenanceClient().statusMember(endpoints.get(member).toString()));
    }

    private static <T> T await(CompletableFuture<T> call) throws IOException, InterruptedException {
        try {
            return call.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("etcd: " + e, e);
        }
    }

    private static String name(int member) {
        return "m" + member;
    }

    private static String url(int port) {
        return "http://127.0.0.1:" + port;
    }
}
