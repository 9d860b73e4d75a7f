package io.minikv.cli;

import io.minikv.client.MinikvClient;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "add-node", mixinStandardHelpOptions = true, description = "Add a coordinator to the Raft group.")
final class ClusterAddNodeCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    private String id;

    @Parameters(index = "1", paramLabel = "ADDRESS", description = "its Raft address, HOST:PORT")
    private String address;

    /** The coordinator waits up to 30 s for the new member to catch up, maybe from a snapshot. */
    @Override
    Duration defaultTimeout() {
        return Duration.ofSeconds(35);
    }

    @Override
    int run(MinikvClient client) {
        print(client.addNode(id, address));
        return 0;
    }
}
