package io.minikv.cli;

import io.minikv.client.MinikvClient;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that talks to the coordinators: it connects with the client options, runs, and prints its result. */
@Command // lets picocli's annotation processor accept the annotated fields of this base class
abstract class ClientCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ClientOptions client;

    @Override
    public final Integer call() throws Exception {
        try (MinikvClient connected = client.connect(spec.commandLine(), defaultTimeout())) {
            return run(connected);
        }
    }

    /** How long a request of this command may take when {@code --timeout} is not given. */
    Duration defaultTimeout() {
        return ClientOptions.DEFAULT_TIMEOUT;
    }

    /** Does the command's work; returns its exit code. */
    abstract int run(MinikvClient client) throws Exception;

    /** Prints {@code result} (a record, a list or JSON) in the format the user chose. */
    final void print(Object result) {
        ResultPrinter.print(spec.commandLine().getOut(), client.format(), result);
    }

    final CommandSpec spec() {
        return spec;
    }
}
