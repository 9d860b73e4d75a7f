package io.minikv.cli;

import java.util.Locale;

/** How a client command talks to the coordinators. */
enum Protocol {
    HTTP,
    GRPC;

    /** The spelling users type and help shows. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
