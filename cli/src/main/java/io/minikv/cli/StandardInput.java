package io.minikv.cli;

import java.io.Console;
import java.io.InputStream;

/**
 * Where commands read their input from, and whether a person is typing it. Tests pass their own
 * stream; interactive line editing is only used on a terminal.
 *
 * @param stream the bytes of standard input
 * @param terminal whether standard input and output are a terminal
 */
record StandardInput(InputStream stream, boolean terminal) {
    static StandardInput system() {
        Console console = System.console();
        return new StandardInput(System.in, console != null && console.isTerminal());
    }
}
