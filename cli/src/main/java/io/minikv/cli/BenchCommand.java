package io.minikv.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Unmatched;

@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Load generator: ops/s and latency percentiles.")
final class BenchCommand extends UnavailableCommand {
    /** The workload options are not settled yet; accept any, so the answer is "not available", not a usage error. */
    @Unmatched
    private List<String> workload;

    @Mixin
    private ClientOptions client;

    BenchCommand() {
        super(Milestone.CLIENT);
    }
}
