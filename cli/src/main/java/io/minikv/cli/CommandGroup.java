package io.minikv.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A command that only groups subcommands (such as {@code cluster}): called alone, it is a usage error. */
@Command // lets picocli's annotation processor accept the @Spec field of this base class
abstract class CommandGroup implements Callable<Integer> {
    /** Beyond this many subcommands, the error points to --help instead of naming them all. */
    private static final int MAX_NAMED_CHOICES = 4;

    @Spec
    private CommandSpec spec;

    @Override
    public final Integer call() {
        List<String> choices = spec.subcommands().values().stream()
                .map(CommandLine::getCommandSpec)
                .filter(sub -> !sub.usageMessage().hidden())
                .map(CommandSpec::name)
                .distinct()
                .toList();
        String message = choices.size() <= MAX_NAMED_CHOICES
                ? "missing command, one of: " + String.join(", ", choices)
                : "missing command";
        throw new ParameterException(spec.commandLine(), message);
    }
}
