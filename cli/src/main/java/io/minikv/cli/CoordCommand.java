package io.minikv.cli;

import picocli.CommandLine.Command;

@Command(
        name = "coord",
        mixinStandardHelpOptions = true,
        description = "Coordinator: a member of the Raft group that owns the metadata.",
        subcommands = CoordServeCommand.class)
final class CoordCommand extends CommandGroup {}
