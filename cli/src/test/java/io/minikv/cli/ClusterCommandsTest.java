package io.minikv.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cluster and operations commands against a coordinator that answers from a script. */
class ClusterCommandsTest {
    private static final String STATUS = """
            {"node_id":"c1","leader":"c1","term":3,"commit_index":9,"applied_index":9,
             "coordinators":[{"id":"c1","raft_address":"127.0.0.1:5002","http_address":"127.0.0.1:5000",
                              "grpc_address":"127.0.0.1:5001","role":"leader"},
                             {"id":"c2","raft_address":"127.0.0.1:5012","http_address":"127.0.0.1:5010",
                              "grpc_address":"127.0.0.1:5011","role":"follower"}],
             "volumes":[],"shards":256,"replicas":3,"write_quorum":2,"keys":0}""";

    private HttpServer server;
    private volatile String answer = "{}";
    /** How long the stub takes to answer: it stands for a coordinator that is slow, not for a wait on one. */
    private volatile long delayMillis;
    /** The stub answers nothing until the test ends. */
    private volatile boolean silent;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            try {
                Thread.sleep(delayMillis);
                if (silent) {
                    stopped.await();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = answer.getBytes(UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        stopped.countDown();
        server.stop(0);
    }

    private MainTest.Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        int code = Main.execute(
                Stream.concat(Stream.of(args), Stream.of("--coordinator", url)).toArray(String[]::new),
                new StandardInput(new ByteArrayInputStream(new byte[0]), false),
                OutputStream.nullOutputStream(),
                new PrintWriter(out, true),
                new PrintWriter(err, true));
        return new MainTest.Result(code, out.toString(), err.toString());
    }

    @Test
    void statusPrintsFieldsAndAlignedTables() {
        answer = STATUS;
        MainTest.Result result = run("cluster", "status");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out().lines())
                .contains(
                        "leader         c1",
                        "write_quorum   2",
                        "coordinators:",
                        "ID  RAFT_ADDRESS    HTTP_ADDRESS    GRPC_ADDRESS    ROLE",
                        "c1  127.0.0.1:5002  127.0.0.1:5000  127.0.0.1:5001  leader",
                        "c2  127.0.0.1:5012  127.0.0.1:5010  127.0.0.1:5011  follower");
        assertThat(requests).containsExactly("GET /api/v1/cluster/status");
    }

    @Test
    void statusAsJsonParses() throws IOException {
        answer = STATUS;
        MainTest.Result result = run("cluster", "status", "--format", "json");
        assertThat(new ObjectMapper().readTree(result.out()).get("coordinators"))
                .hasSize(2);
    }

    @Test
    void membershipCommandsPrintTheNewGroup() {
        answer = "{\"coordinators\":[{\"id\":\"c4\",\"raft_address\":\"h:5032\",\"role\":\"follower\"}]}";
        MainTest.Result added = run("cluster", "add-node", "c4", "h:5032");
        assertThat(added.exitCode()).isZero();
        assertThat(added.out()).contains("c4", "h:5032", "follower");
        assertThat(run("cluster", "remove-node", "c4").exitCode()).isZero();
        assertThat(requests).containsExactly("POST /api/v1/cluster/nodes", "DELETE /api/v1/cluster/nodes/c4");
    }

    @Test
    void addNodeWaitsLongerThanOtherCommandsUnlessToldOtherwise() {
        answer = "{\"coordinators\":[{\"id\":\"c4\",\"raft_address\":\"h:5032\",\"role\":\"follower\"}]}";
        // The coordinator takes longer than the 10 s that other commands wait: a new member catching up.
        delayMillis = ClientOptions.DEFAULT_TIMEOUT.toMillis() + 500;
        MainTest.Result added = run("cluster", "add-node", "c4", "h:5032");
        assertThat(added.exitCode()).as(added.err()).isZero();
        delayMillis = 0;
        silent = true;
        MainTest.Result impatient = run("cluster", "add-node", "c4", "h:5032", "--timeout", "200ms");
        assertThat(impatient.exitCode()).isEqualTo(1);
        assertThat(impatient.errLines()).hasSize(1);
    }

    @Test
    void verifyExitsWith1WhenItFindsProblems() {
        answer = "{\"ok\":false,\"keys\":2,\"replicas_checked\":6,"
                + "\"problems\":[{\"key\":\"a\",\"volume\":\"v2\",\"problem\":\"missing\"}]}";
        MainTest.Result bad = run("verify", "--deep");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.out()).contains("problems:", "KEY  VOLUME  PROBLEM", "a    v2      missing");
        answer = "{\"ok\":true,\"keys\":2,\"replicas_checked\":6,\"problems\":[]}";
        assertThat(run("verify").exitCode()).isZero();
        assertThat(requests)
                .containsExactly("POST /api/v1/admin/verify?deep=true", "POST /api/v1/admin/verify?deep=false");
    }

    @Test
    void operationsPostTheirOptions() {
        answer = "{\"moved\":0,\"actions\":[]}";
        assertThat(run("repair", "--replicas", "2", "--dry-run").exitCode()).isZero();
        assertThat(run("rebalance").exitCode()).isZero();
        assertThat(run("compact", "--shard", "7").exitCode()).isZero();
        assertThat(run("compact", "--shard", "256").exitCode()).isEqualTo(2);
        assertThat(requests)
                .containsExactly(
                        "POST /api/v1/admin/repair?dry_run=true&replicas=2",
                        "POST /api/v1/admin/rebalance",
                        "POST /api/v1/admin/compact?shard=7");
    }
}
