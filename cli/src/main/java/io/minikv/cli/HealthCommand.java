package io.minikv.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "health",
        mixinStandardHelpOptions = true,
        description = "Check that the coordinators answer (exit code 1 when they do not).")
final class HealthCommand extends UnavailableCommand {
    @Mixin
    private ClientOptions client;

    HealthCommand() {
        super(Milestone.CLIENT);
    }
}
