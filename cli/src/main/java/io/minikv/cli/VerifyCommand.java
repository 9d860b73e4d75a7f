package io.minikv.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "verify", mixinStandardHelpOptions = true, description = "Check the metadata against the volumes.")
final class VerifyCommand extends UnavailableCommand {
    @Option(names = "--deep", description = "also re-read every replica and check its checksum")
    private boolean deep;

    @Mixin
    private ClientOptions client;

    VerifyCommand() {
        super(Milestone.REPLICATED_CLUSTER);
    }
}
