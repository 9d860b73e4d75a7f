package io.minikv.cli;

import io.minikv.storage.StoreLockedException;
import io.minikv.volume.HostPort;
import io.minikv.volume.VolumeConfig;
import io.minikv.volume.VolumeServer;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
            "Run a volume server: blob HTTP routes and internal gRPC.",
            "Without --coordinators it is a single-node blob service; with them a cluster replica whose"
                    + " public HTTP is read-only. Runs until SIGTERM or Ctrl-C, then stops gracefully."
        })
final class VolumeServeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(
            names = "--id",
            paramLabel = "ID",
            defaultValue = "${env:VOLUME_ID}",
            description = "volume id (env VOLUME_ID)")
    private String id;

    @Option(
            names = "--bind",
            paramLabel = "HOST:PORT",
            defaultValue = "${env:PORT}",
            description = "public HTTP address, or only a port for every interface (env PORT)")
    private String bind;

    @Option(names = "--grpc", paramLabel = "HOST:PORT", description = "internal gRPC address for coordinators")
    private String grpc;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            defaultValue = "${env:DATA_DIR}",
            description = "where the blobs are stored, created if missing (env DATA_DIR)")
    private Path data;

    @Option(
            names = "--coordinators",
            paramLabel = "URL",
            split = ",",
            description = "coordinators of the cluster, comma separated; none for a single node")
    private List<String> coordinators = List.of();

    @Option(
            names = "--max-blob-size",
            paramLabel = "SIZE",
            defaultValue = "1GiB",
            converter = ByteCountConverter.class,
            description = "largest blob accepted, larger uploads get 413 (default: ${DEFAULT-VALUE})")
    private long maxBlobSize;

    @Option(
            names = "--max-concurrent-uploads",
            paramLabel = "N",
            defaultValue = "64",
            description = "uploads received at once, more get 503 at once (default: ${DEFAULT-VALUE})")
    private int maxConcurrentUploads;

    @Mixin
    private RequestLimitOptions requestLimits;

    @Override
    public Integer call() throws IOException {
        VolumeConfig config = config();
        VolumeServer server;
        try {
            server = VolumeServer.start(config);
        } catch (StoreLockedException e) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": " + data + " is in use by another process");
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "minikv-volume-shutdown"));
        server.awaitStopped();
        return 0;
    }

    /** The configuration the options describe; a missing or malformed one is a usage error. */
    private VolumeConfig config() {
        if (id == null || id.isBlank()) {
            throw usage("missing --id (or the VOLUME_ID variable)");
        }
        if (bind == null || bind.isBlank()) {
            throw usage("missing --bind (or the PORT variable)");
        }
        if (data == null) {
            throw usage("missing --data (or the DATA_DIR variable)");
        }
        try {
            VolumeConfig config = VolumeConfig.standalone(id, address("--bind", bind), data)
                    .withMaxBlobSize(maxBlobSize)
                    .withMaxConcurrentUploads(maxConcurrentUploads)
                    .withRequestLimits(requestLimits.limits());
            if (grpc != null) {
                config = config.withGrpc(address("--grpc", grpc));
            }
            return config.withCoordinators(coordinatorUrls());
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

    private List<URI> coordinatorUrls() {
        List<URI> urls = new ArrayList<>();
        for (String text : coordinators) {
            try {
                urls.add(new URI(text.strip()));
            } catch (URISyntaxException e) {
                throw usage("--coordinators: '" + text + "' is not a URL");
            }
        }
        return urls;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
