package io.minikv.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.minikv.storage.Store;
import io.minikv.storage.StoreLockedException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
        name = "repl",
        mixinStandardHelpOptions = true,
        description = {
            "Interactive shell on an embedded store: set/get/delete/list/stats/compact/help/quit.",
            "With piped input it runs the lines as a script and prints only their output."
        })
final class ReplCommand implements Callable<Integer> {
    @ParentCommand
    private MinikvCommand minikv;

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            defaultValue = "./data",
            description = "the store's directory, created if missing (default: ${DEFAULT-VALUE})")
    private Path data;

    @Override
    public Integer call() throws IOException {
        Store store;
        try {
            store = Store.open(data);
        } catch (StoreLockedException e) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": " + data + " is in use by another process");
            return 1;
        }
        try (store) {
            StandardInput stdin = minikv.stdin();
            if (stdin.terminal()) {
                TerminalRepl.run(store);
            } else {
                runScript(new ReplInterpreter(store, spec.commandLine().getOut()), stdin);
            }
        }
        return 0;
    }

    private static void runScript(ReplInterpreter interpreter, StandardInput stdin) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(stdin.stream(), UTF_8));
        String line;
        do {
            line = lines.readLine();
        } while (line != null && interpreter.execute(line));
    }
}
