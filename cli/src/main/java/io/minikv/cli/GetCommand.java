package io.minikv.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "get",
        mixinStandardHelpOptions = true,
        description = "Print the value of a key (exit code 1 when it is missing).")
final class GetCommand extends UnavailableCommand {
    @Parameters(index = "0", paramLabel = "KEY")
    private String key;

    @Option(names = "--output", paramLabel = "PATH", description = "write the value to this file instead of stdout")
    private Path output;

    @Mixin
    private ClientOptions client;

    GetCommand() {
        super(Milestone.CLIENT);
    }
}
