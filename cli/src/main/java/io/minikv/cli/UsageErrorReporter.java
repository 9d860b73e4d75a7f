package io.minikv.cli;

import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Reports a usage error in one line on stderr, with a pointer to --help, instead of picocli's
 * default of printing the whole usage text: in a script's log, the one line is what gets read.
 */
final class UsageErrorReporter implements IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine commandLine = ex.getCommandLine();
        String command = commandLine.getCommandSpec().qualifiedName();
        commandLine.getErr().println(command + ": " + describe(ex) + " (see '" + command + " --help')");
        return commandLine.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static String describe(ParameterException ex) {
        if (ex instanceof UnmatchedArgumentException unmatched
                && !ex.getCommandLine().getSubcommands().isEmpty()
                && !unmatched.getUnmatched().isEmpty()
                && !unmatched.getUnmatched().getFirst().startsWith("-")) {
            return "unknown command '" + unmatched.getUnmatched().getFirst() + "'";
        }
        return ex.getMessage();
    }
}
