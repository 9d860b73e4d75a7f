package io.minikv.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a key.")
final class DeleteCommand extends UnavailableCommand {
    @Parameters(index = "0", paramLabel = "KEY")
    private String key;

    @Mixin
    private ClientOptions client;

    DeleteCommand() {
        super(Milestone.CLIENT);
    }
}
