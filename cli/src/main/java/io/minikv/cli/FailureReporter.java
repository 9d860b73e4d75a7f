package io.minikv.cli;

import io.minikv.proto.MinikvException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Reports a command that failed in one line on stderr, without a stack trace, and exits with 1;
 * with 2 when the server refused the input as invalid (a bad key or limit is a usage error).
 */
final class FailureReporter implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + ErrorText.of(ex));
        return ex instanceof MinikvException.InvalidArgument ? 2 : 1;
    }
}
