package io.minikv.cli;

import java.io.OutputStream;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** The top of the command tree: {@code minikv <command>}. */
@Command(
        name = "minikv",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "A distributed blob and key-value store for the JVM.",
            "Client commands take --coordinator, --protocol, --format and --timeout;"
                    + " see 'minikv <command> --help'."
        },
        subcommands = {
            DevCommand.class,
            CoordCommand.class,
            VolumeCommand.class,
            ReplCommand.class,
            PutCommand.class,
            GetCommand.class,
            DeleteCommand.class,
            ListCommand.class,
            ClusterCommand.class,
            HealthCommand.class,
            VerifyCommand.class,
            RepairCommand.class,
            RebalanceCommand.class,
            CompactCommand.class,
            BenchCommand.class,
            AotTrainingCommand.class,
            HelpCommand.class,
            AutoComplete.GenerateCompletion.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:not found, or the operation failed", "2:usage error"})
final class MinikvCommand extends CommandGroup {
    private final StandardInput stdin;
    private final OutputStream stdout;

    MinikvCommand(StandardInput stdin, OutputStream stdout) {
        this.stdin = stdin;
        this.stdout = stdout;
    }

    StandardInput stdin() {
        return stdin;
    }

    /** Standard output as bytes, for values; text goes through the command line's writer. */
    OutputStream stdout() {
        return stdout;
    }
}
