package io.minikv.cli;

import io.minikv.storage.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.completer.ArgumentCompleter;
import org.jline.reader.impl.completer.NullCompleter;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/** The REPL for a person at a terminal: line editing, history in ~/.minikv_history, completion of command names. */
final class TerminalRepl {
    private static final String PROMPT = "minikv> ";

    private TerminalRepl() {}

    static void run(Store store) throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .appName("minikv")
                    .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".minikv_history"))
                    .completer(new ArgumentCompleter(
                            new StringsCompleter(
                                    "set", "get", "delete", "list", "stats", "compact", "help", "quit", "exit"),
                            NullCompleter.INSTANCE))
                    .build();
            PrintWriter out = terminal.writer();
            out.println("minikv repl on " + store.directory() + ": type 'help' for the commands, 'quit' to leave");
            ReplInterpreter interpreter = new ReplInterpreter(store, out);
            while (true) {
                String line;
                try {
                    line = reader.readLine(PROMPT);
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C drops the line being typed, as in a shell
                } catch (EndOfFileException e) {
                    break;
                }
                if (!interpreter.execute(line)) {
                    break;
                }
            }
        }
    }
}
