package io.minikv.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "repair",
        mixinStandardHelpOptions = true,
        description = "Re-replicate under-replicated keys and drop orphans.")
final class RepairCommand extends UnavailableCommand {
    @Option(names = "--replicas", paramLabel = "N", description = "the replica count to restore")
    private Integer replicas;

    @Option(names = "--dry-run", description = "print the plan, change nothing")
    private boolean dryRun;

    @Mixin
    private ClientOptions client;

    RepairCommand() {
        super(Milestone.REPLICATED_CLUSTER);
    }
}
