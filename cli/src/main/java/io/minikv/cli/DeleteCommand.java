package io.minikv.cli;

import io.minikv.client.MinikvClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        description = "Delete a key; deleting a missing key succeeds too.")
final class DeleteCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "KEY")
    private String key;

    @Override
    int run(MinikvClient client) {
        client.delete(key);
        return 0;
    }
}
