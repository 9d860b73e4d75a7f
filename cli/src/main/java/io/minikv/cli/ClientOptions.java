package io.minikv.cli;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

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

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description = "give up after this long, e.g. 500ms, 10s, 2m (default: ${DEFAULT-VALUE})")
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

    Duration timeout() {
        return timeout;
    }
}
