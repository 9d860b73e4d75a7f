package io.minikv.cli;

import picocli.CommandLine.Command;

@Command(
        name = "volume",
        mixinStandardHelpOptions = true,
        description = "Volume: stores blobs on its disk, alone or in a cluster.",
        subcommands = VolumeServeCommand.class)
final class VolumeCommand extends CommandGroup {}
