package io.minikv.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Run a volume server: blob HTTP routes and internal gRPC.",
            "Without --coordinators it is a single-node blob service."
        })
final class VolumeServeCommand extends UnavailableCommand {
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
            description = "HTTP address, or only a port (env PORT)")
    private String bind;

    @Option(names = "--grpc", paramLabel = "HOST:PORT", description = "internal gRPC address")
    private String grpc;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            defaultValue = "${env:DATA_DIR}",
            description = "where the blobs are stored (env DATA_DIR)")
    private Path data;

    @Option(
            names = "--coordinators",
            paramLabel = "URL",
            split = ",",
            description = "coordinators to join, comma separated; none for a single node")
    private List<String> coordinators;

    VolumeServeCommand() {
        super(Milestone.VOLUME_SERVER);
    }
}
