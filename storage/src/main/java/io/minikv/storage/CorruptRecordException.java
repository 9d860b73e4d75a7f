package io.minikv.storage;

import java.io.IOException;

/** A stored value failed its checksum (or its record is damaged); the value is not returned. */
public final class CorruptRecordException extends IOException {
    private final CorruptionReport report;

    public CorruptRecordException(CorruptionReport report) {
        super("corrupt record: " + report);
        this.report = report;
    }

    public CorruptionReport report() {
        return report;
    }
}
