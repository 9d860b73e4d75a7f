package io.minikv.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Reports a command that failed in one line on stderr, without a stack trace, and exits with 1. */
final class FailureReporter implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + ErrorText.of(ex));
        return 1;
    }
}
