package io.minikv.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "compact",
        mixinStandardHelpOptions = true,
        description = "Compact the storage of every volume, or of one shard.")
final class CompactCommand extends UnavailableCommand {
    @Option(names = "--shard", paramLabel = "N", description = "only this shard (0 to 255)")
    private Integer shard;

    @Mixin
    private ClientOptions client;

    CompactCommand() {
        super(Milestone.REPLICATED_CLUSTER);
    }
}
