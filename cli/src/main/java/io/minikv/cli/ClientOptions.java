package io.minikv.cli;

import io.minikv.client.MinikvClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The options every client command takes: where the cluster is, how to talk to it, how to print. */
final class ClientOptions {
    @Option(
            names = "--coordinator",
            paramLabel = "URL",
            split = ",",
            defaultValue = "${env:MINIKV_COORDINATOR:-http://127.0.0.1:5000}",
            description = {
                "coordinator URLs, comma separated",
                "(default: ${DEFAULT-VALUE};",
                "the MINIKV_COORDINATOR variable overrides it)"
            })
    private List<URI> coordinators;

    @Option(
            names = "--protocol",
            paramLabel = "PROTOCOL",
            defaultValue = "http",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    private Protocol protocol;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "table",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    private OutputFormat format;

    /** How long a request may take unless {@code --timeout} says otherwise; a command may wait longer. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "give up after this long, e.g. 500ms, 10s, 2m (default: 10s; add-node: 35s)")
    private Duration timeout;

    List<URI> coordinators() {
        return coordinators;
    }

    Protocol protocol() {
        return protocol;
    }

    OutputFormat format() {
        return format;
    }

    /** {@code --timeout}, or {@code commandDefault} when it was not given. */
    Duration timeout(Duration commandDefault) {
        return timeout != null ? timeout : commandDefault;
    }

    /**
     * A client of the coordinators. Over gRPC it reaches each coordinator at its HTTP port + 1,
     * the layout of {@code minikv dev} (DESIGN.md §4).
     *
     * @throws ParameterException when a coordinator URL is not {@code http://host:port}
     */
    MinikvClient connect(CommandLine commandLine, Duration commandDefault) {
        try {
            return MinikvClient.builder()
                    .coordinators(coordinators)
                    .grpcTargets(grpcTargets())
                    .protocol(
                            protocol == Protocol.GRPC ? io.minikv.client.Protocol.GRPC : io.minikv.client.Protocol.HTTP)
                    .timeout(timeout(commandDefault))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, "--coordinator: " + e.getMessage());
        }
    }

    /** The coordinators' gRPC addresses, {@code host:port}: each at its HTTP port + 1. */
    List<String> grpcTargets() {
        return coordinators.stream().map(ClientOptions::grpcTarget).toList();
    }

    private static String grpcTarget(URI url) {
        int port = url.getPort() == -1 ? 80 : url.getPort();
        return url.getHost() + ":" + (port + 1);
    }
}
