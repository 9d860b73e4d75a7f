package io.minikv.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command of the documented interface that this build cannot run yet. It parses its options like
 * the real one will, then says so in one line and fails, rather than pretend to have done anything.
 */
@Command // lets picocli's annotation processor accept the @Spec field of this base class
abstract class UnavailableCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    private final Milestone milestone;

    UnavailableCommand(Milestone milestone) {
        this.milestone = milestone;
    }

    @Override
    public final Integer call() {
        spec.commandLine()
                .getErr()
                .println(spec.qualifiedName() + ": not available in this build yet (it arrives with "
                        + milestone.description() + ")");
        return 1;
    }
}
