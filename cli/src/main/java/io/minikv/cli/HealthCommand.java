package io.minikv.cli;

import io.minikv.client.MinikvClient;
import picocli.CommandLine.Command;

@Command(
        name = "health",
        mixinStandardHelpOptions = true,
        description = "Check that a coordinator is serving (exit code 1 when none is).")
final class HealthCommand extends ClientCommand {
    @Override
    int run(MinikvClient client) {
        print(client.health());
        return 0;
    }
}
