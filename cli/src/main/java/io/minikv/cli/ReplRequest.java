package io.minikv.cli;

/** One line of REPL input, parsed: what to do, or why it cannot be done. */
sealed interface ReplRequest {
    record Set(String key, String value) implements ReplRequest {}

    record Get(String key) implements ReplRequest {}

    record Delete(String key) implements ReplRequest {}

    record ListKeys() implements ReplRequest {}

    record Stats() implements ReplRequest {}

    record Compact() implements ReplRequest {}

    record Help() implements ReplRequest {}

    record Quit() implements ReplRequest {}

    /** An empty line: nothing to do. */
    record Blank() implements ReplRequest {}

    record Unknown(String command) implements ReplRequest {}

    /** A known command with the wrong arguments; {@code usage} is its synopsis, e.g. {@code set KEY VALUE}. */
    record Malformed(String usage) implements ReplRequest {}
}
