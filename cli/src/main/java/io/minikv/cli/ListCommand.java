package io.minikv.cli;

import io.minikv.client.MinikvClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", mixinStandardHelpOptions = true, description = "List keys, sorted, one a line.")
final class ListCommand extends ClientCommand {
    @Option(names = "--prefix", paramLabel = "P", defaultValue = "", description = "only keys that start with P")
    private String prefix;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "1000",
            description = "at most N keys, 1 to 10000 (default: ${DEFAULT-VALUE})")
    private int limit;

    @Override
    int run(MinikvClient client) {
        print(client.list(prefix, "", limit));
        return 0;
    }
}
