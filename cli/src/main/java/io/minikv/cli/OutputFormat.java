package io.minikv.cli;

import java.util.Locale;

/** How a client command prints its result: for people, or for programs. */
enum OutputFormat {
    TABLE,
    JSON;

    /** The spelling users type and help shows. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
