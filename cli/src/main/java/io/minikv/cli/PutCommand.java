package io.minikv.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "put",
        mixinStandardHelpOptions = true,
        description = "Store a value under a key, from the argument, a file or standard input.")
final class PutCommand extends UnavailableCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "1 to 1024 bytes of UTF-8")
    private String key;

    @Parameters(
            index = "1",
            arity = "0..1",
            paramLabel = "VALUE",
            description = "the value; without it, --file or stdin")
    private String value;

    @Option(names = "--file", paramLabel = "PATH", description = "read the value from this file, streamed")
    private Path file;

    @Mixin
    private ClientOptions client;

    PutCommand() {
        super(Milestone.CLIENT);
    }
}
