package io.minikv.cli;

import java.nio.file.FileSystemException;

/** The one line a person sees for an exception. */
final class ErrorText {
    private ErrorText() {}

    static String of(Throwable error) {
        String message = error.getMessage();
        if (message == null || message.isBlank()) {
            return error.getClass().getSimpleName();
        }
        // A FileSystemException's message is often only the path; its type says what went wrong.
        if (error instanceof FileSystemException) {
            return error.getClass().getSimpleName() + ": " + message;
        }
        return message;
    }
}
