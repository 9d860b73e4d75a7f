package io.minikv.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "list", mixinStandardHelpOptions = true, description = "List keys, sorted.")
final class ListCommand extends UnavailableCommand {
    @Option(names = "--prefix", paramLabel = "P", defaultValue = "", description = "only keys that start with P")
    private String prefix;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "1000",
            description = "at most N keys (default: ${DEFAULT-VALUE})")
    private int limit;

    @Mixin
    private ClientOptions client;

    ListCommand() {
        super(Milestone.CLIENT);
    }
}
