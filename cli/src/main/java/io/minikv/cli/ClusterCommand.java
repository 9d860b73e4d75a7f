package io.minikv.cli;

import picocli.CommandLine.Command;

@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description = "Cluster membership and state.",
        subcommands = {ClusterStatusCommand.class, ClusterAddNodeCommand.class, ClusterRemoveNodeCommand.class})
final class ClusterCommand extends CommandGroup {}
