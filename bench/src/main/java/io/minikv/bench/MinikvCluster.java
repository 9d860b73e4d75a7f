package io.minikv.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minikv.client.ReadPreference;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A minikv cluster on loopback: 3 coordinators (the Raft group) and 3 volumes, replicas 3, each node
 * its own {@code minikv coord serve} or {@code minikv volume serve} process (DESIGN.md §4) with free
 * ports and a data directory under {@link ScratchDirectory}. The nodes are started one by one rather
 * than through {@code minikv dev} because the leader kill needs each coordinator's own process to
 * SIGKILL. Volumes keep their default durability ({@code always}: a prepared or committed version is
 * fdatasynced before the volume answers).
 *
 * <p>Members, as {@link ClusterUnderTest} counts them, are the coordinators.
 */
final class MinikvCluster implements ClusterUnderTest {
    static final int COORDINATORS = 3;
    static final int VOLUMES = 3;
    static final int REPLICAS = 3;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ScratchDirectory directory;
    private final List<URI> coordinatorUrls;
    private final List<String> grpcTargets;
    private final String protocol;
    private final ReadPreference reads;
    private final int connectionsPerMember;
    private final List<NodeProcess> coordinators;
    private final List<NodeProcess> volumes;

    private MinikvCluster(
            ScratchDirectory directory,
            List<URI> coordinatorUrls,
            List<String> grpcTargets,
            ComparisonOptions options,
            List<NodeProcess> coordinators,
            List<NodeProcess> volumes) {
        this.directory = directory;
        this.coordinatorUrls = coordinatorUrls;
        this.grpcTargets = grpcTargets;
        this.protocol = options.minikvProtocol();
        this.reads = options.minikvReads();
        this.connectionsPerMember = options.etcdConnections();
        this.coordinators = coordinators;
        this.volumes = volumes;
    }

    /**
     * Starts every node with {@code options.minikv()} (the repository's {@code ./minikv}) and waits
     * until it takes writes; its drivers speak {@code options.minikvProtocol()}.
     */
    static MinikvCluster start(ComparisonOptions options) throws IOException, InterruptedException {
        String launcher = options.minikv();
        ScratchDirectory directory = ScratchDirectory.create("minikv-");
        int[] ports = FreePorts.take(3 * COORDINATORS + 2 * VOLUMES);
        List<String> peers = new ArrayList<>();
        for (int i = 0; i < COORDINATORS; i++) {
            peers.add(coordinatorId(i) + "=" + address(ports[3 * i + 2]));
        }
        List<URI> urls = new ArrayList<>();
        List<String> grpcTargets = new ArrayList<>();
        List<NodeProcess> coordinators = new ArrayList<>();
        for (int i = 0; i < COORDINATORS; i++) {
            urls.add(URI.create("http://" + address(ports[3 * i])));
            grpcTargets.add(address(ports[3 * i + 1]));
            List<String> command = List.of(
                    launcher,
                    "coord",
                    "serve",
                    "--id=" + coordinatorId(i),
                    "--bind=" + address(ports[3 * i]),
                    "--grpc=" + address(ports[3 * i + 1]),
                    "--raft=" + address(ports[3 * i + 2]),
                    "--db=" + directory.path().resolve(coordinatorId(i)),
                    "--peers=" + String.join(",", peers),
                    "--replicas=" + REPLICAS);
            coordinators.add(NodeProcess.start(command, directory.path().resolve(coordinatorId(i) + ".log")));
        }
        String coordinatorList =
                String.join(",", urls.stream().map(URI::toString).toList());
        List<NodeProcess> volumes = new ArrayList<>();
        for (int i = 0; i < VOLUMES; i++) {
            int base = 3 * COORDINATORS + 2 * i;
            String id = "v" + i;
            List<String> command = List.of(
                    launcher,
                    "volume",
                    "serve",
                    "--id=" + id,
                    "--bind=" + address(ports[base]),
                    "--grpc=" + address(ports[base + 1]),
                    "--data=" + directory.path().resolve(id),
                    "--coordinators=" + coordinatorList);
            volumes.add(NodeProcess.start(command, directory.path().resolve(id + ".log")));
        }
        MinikvCluster cluster = new MinikvCluster(
                directory, List.copyOf(urls), List.copyOf(grpcTargets), options, coordinators, volumes);
        try {
            cluster.awaitServing();
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    @Override
    public String name() {
        return "minikv";
    }

    @Override
    public String description() throws IOException, InterruptedException {
        JsonNode status = status(leader());
        return "minikv, " + COORDINATORS + " coordinators, " + VOLUMES + " volumes, replicas "
                + status.path("replicas").asText() + ", write quorum "
                + status.path("write_quorum").asText()
                + ", volume durability always, driven over " + protocol
                + (protocol.equals("grpc")
                        ? " with reads at the "
                                + (reads == ReadPreference.LEADER ? "leader" : "first answering coordinator, spread")
                        : "");
    }

    @Override
    public int members() {
        return COORDINATORS;
    }

    @Override
    public KvDriver driver(Duration timeout) {
        return protocol.equals("grpc")
                ? new MinikvGrpcDriver(grpcTargets, connectionsPerMember, reads, timeout)
                : new MinikvDriver(coordinatorUrls, timeout);
    }

    /** The leader named by {@code GET /api/v1/cluster/status} on the first coordinator that answers. */
    @Override
    public int leader() throws IOException, InterruptedException {
        IOException failure = new IOException("no minikv coordinator names a leader");
        for (int i = 0; i < COORDINATORS; i++) {
            if (!coordinators.get(i).isAlive()) {
                continue;
            }
            try {
                String leader = status(i).path("leader").asText("");
                for (int j = 0; j < COORDINATORS; j++) {
                    if (leader.equals(coordinatorId(j))) {
                        return j;
                    }
                }
                failure.addSuppressed(new IOException(coordinatorId(i) + " names leader '" + leader + "'"));
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
        throw failure;
    }

    @Override
    public void kill(int member) throws InterruptedException {
        coordinators.get(member).kill();
    }

    @Override
    public void restart(int member) throws IOException, InterruptedException {
        coordinators.get(member).start();
        awaitServing();
    }

    @Override
    public Duration cpuTime() {
        return Stream.concat(coordinators.stream(), volumes.stream())
                .map(NodeProcess::cpuTime)
                .reduce(Duration.ZERO, Duration::plus);
    }

    /** Nothing: the volumes compact in the background on their own, as they would in service. */
    @Override
    public void betweenRows() {}

    @Override
    public void close() throws IOException, InterruptedException {
        for (NodeProcess node : coordinators) {
            node.stop();
        }
        for (NodeProcess node : volumes) {
            node.stop();
        }
        directory.close();
    }

    /** Every coordinator healthy, a leader, and every volume up in the leader's view. */
    private void awaitServing() throws IOException, InterruptedException {
        for (int i = 0; i < COORDINATORS; i++) {
            int member = i;
            NodeProcess node = coordinators.get(i);
            Poll.until(coordinatorId(i) + " healthy (log: " + node.log() + ")", START_TIMEOUT, () -> {
                if (!node.isAlive()) {
                    throw new IOException("the coordinator exited; see " + node.log());
                }
                return Poll.get(coordinatorUrls.get(member).resolve("/health")).statusCode() == 200;
            });
        }
        Poll.until("all " + VOLUMES + " volumes up", START_TIMEOUT, () -> {
            int up = 0;
            for (JsonNode volume : status(leader()).path("volumes")) {
                up += volume.path("state").asText().equals("up") ? 1 : 0;
            }
            return up == VOLUMES;
        });
    }

    private JsonNode status(int member) throws IOException, InterruptedException {
        HttpResponse<String> response = Poll.get(coordinatorUrls.get(member).resolve("/api/v1/cluster/status"));
        if (response.statusCode() != 200) {
            throw new IOException(coordinatorId(member) + " status: " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static String coordinatorId(int member) {
        return "c" + member;
    }

    private static String address(int port) {
        return "127.0.0.1:" + port;
    }
}
