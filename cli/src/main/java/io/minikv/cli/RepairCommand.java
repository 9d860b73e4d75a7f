package io.minikv.cli;

import io.minikv.client.MinikvClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "repair",
        mixinStandardHelpOptions = true,
        description = "Re-replicate under-replicated keys and drop orphans.")
final class RepairCommand extends ClientCommand {
    @Option(names = "--replicas", paramLabel = "N", description = "the replica count to restore")
    private Integer replicas;

    @Option(names = "--dry-run", description = "print the plan, change nothing")
    private boolean dryRun;

    @Override
    int run(MinikvClient client) {
        print(client.repair(replicas, dryRun));
        return 0;
    }
}
