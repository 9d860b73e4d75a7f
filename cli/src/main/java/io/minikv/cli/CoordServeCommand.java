package io.minikv.cli;

import io.minikv.coordinator.CoordinatorConfig;
import io.minikv.coordinator.CoordinatorServer;
import io.minikv.volume.HostPort;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Run a coordinator: public HTTP and gRPC, Raft with its peers.",
            "Runs until SIGTERM or Ctrl-C, then stops gracefully."
        })
final class CoordServeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--id", required = true, paramLabel = "ID", description = "this coordinator's id in --peers")
    private String id;

    @Option(names = "--bind", required = true, paramLabel = "HOST:PORT", description = "public HTTP address")
    private String bind;

    @Option(
            names = "--grpc",
            required = true,
            paramLabel = "HOST:PORT",
            description = "public and internal gRPC address")
    private String grpc;

    @Option(names = "--raft", required = true, paramLabel = "HOST:PORT", description = "Raft address")
    private String raft;

    @Option(names = "--db", required = true, paramLabel = "DIR", description = "Raft log, snapshots and metadata")
    private Path db;

    @Option(
            names = "--peers",
            required = true,
            split = ",",
            paramLabel = "ID=HOST:RAFTPORT",
            description = "every coordinator of the group, this one included")
    private List<String> peers;

    @Option(
            names = "--replicas",
            paramLabel = "N",
            defaultValue = "3",
            description = "replicas of each key; writes need a majority of them (default: ${DEFAULT-VALUE})")
    private int replicas;

    @Option(
            names = "--value-cache",
            paramLabel = "SIZE",
            defaultValue = "64MiB",
            converter = ByteCountConverter.class,
            description = "memory for small values (up to 32 KiB) served from the coordinator without a volume;"
                    + " 0 turns it off (default: ${DEFAULT-VALUE})")
    private long valueCache;

    @Option(
            names = "--election-timeout",
            paramLabel = "DURATION",
            defaultValue = "300ms",
            converter = DurationConverter.class,
            description = "the shortest Raft election timeout; each follower waits a random time between it and"
                    + " twice it without hearing from the leader before it stands (default: ${DEFAULT-VALUE})")
    private Duration electionTimeout;

    @Option(
            names = "--max-concurrent-puts",
            paramLabel = "N",
            defaultValue = "" + CoordinatorConfig.DEFAULT_MAX_CONCURRENT_PUTS,
            description = "puts in progress at once, HTTP and gRPC together; more get 503 (UNAVAILABLE over gRPC)"
                    + " at once (default: ${DEFAULT-VALUE})")
    private int maxConcurrentPuts;

    @Mixin
    private RequestLimitOptions requestLimits;

    @Option(
            names = "--join",
            description = "join a running group (as etcd's --initial-cluster-state existing): wait, without a"
                    + " vote, to be added with `minikv cluster add-node`; --peers lists the members and this one")
    private boolean join;

    @Override
    public Integer call() throws IOException {
        CoordinatorServer server = CoordinatorServer.start(config());
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "minikv-coordinator-shutdown"));
        server.awaitStopped();
        return 0;
    }

    private CoordinatorConfig config() {
        Map<String, HostPort> group = new LinkedHashMap<>();
        for (String peer : peers) {
            int eq = peer.indexOf('=');
            if (eq <= 0) {
                throw usage("--peers: '" + peer + "' is not ID=HOST:PORT");
            }
            group.put(
                    peer.substring(0, eq).strip(),
                    address("--peers", peer.substring(eq + 1).strip()));
        }
        HostPort raftAddress = address("--raft", raft);
        HostPort listed = group.get(id);
        if (listed != null && listed.port() != raftAddress.port()) {
            throw usage("--peers lists " + id + " at " + listed + " but --raft is " + raftAddress);
        }
        try {
            return CoordinatorConfig.of(id, address("--bind", bind), address("--grpc", grpc), raftAddress, db, group)
                    .withReplicas(replicas)
                    .withValueCacheBytes(valueCache)
                    .withElectionTimeout(electionTimeout)
                    .withMaxConcurrentPuts(maxConcurrentPuts)
                    .withRequestLimits(requestLimits.limits())
                    .withJoining(join);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private HostPort address(String option, String text) {
        try {
            return HostPort.parse(text);
        } catch (IllegalArgumentException e) {
            throw usage(option + ": " + e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
