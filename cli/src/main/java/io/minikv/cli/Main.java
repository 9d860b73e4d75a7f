package io.minikv.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IVersionProvider;

/** The {@code minikv} command: parses the arguments, runs one command, exits with its code. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // Keys and values are UTF-8; do not let a POSIX locale turn them into question marks.
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, UTF_8), true);
        int exitCode = execute(args, StandardInput.system(), System.out, out, err);
        out.flush();
        err.flush();
        System.exit(exitCode);
    }

    /**
     * Runs one command line and returns its exit code: 0 success, 1 not found or failed operation,
     * 2 usage error. Nothing here calls System.exit, so tests run it in-process.
     *
     * @param stdout where values go as raw bytes ({@code minikv get}); {@code out} carries text
     */
    static int execute(String[] args, StandardInput stdin, OutputStream stdout, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new MinikvCommand(stdin, stdout))
                .setOut(out)
                .setErr(err)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setUsageHelpAutoWidth(true)
                .setParameterExceptionHandler(new UsageErrorReporter())
                .setExecutionExceptionHandler(new FailureReporter());
        CommandListRenderer.install(commandLine);
        shareVersion(commandLine, commandLine.getCommandSpec().versionProvider());
        return commandLine.execute(args);
    }

    /** Gives every subcommand's --version the top command's answer (picocli leaves theirs empty). */
    private static void shareVersion(CommandLine commandLine, IVersionProvider version) {
        for (CommandLine sub : commandLine.getSubcommands().values()) {
            sub.getCommandSpec().versionProvider(version);
            shareVersion(sub, version);
        }
    }
}
