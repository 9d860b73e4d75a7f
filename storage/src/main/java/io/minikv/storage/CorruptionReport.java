package io.minikv.storage;

/**
 * Damage the engine found and stepped around: a record or file region it will not serve.
 *
 * @param file the file name inside the store directory
 * @param offset where the damage starts
 * @param length how many bytes are affected, as far as known
 * @param reason what was wrong, for an operator
 */
public record CorruptionReport(String file, long offset, long length, String reason) {
    @Override
    public String toString() {
        return "%s at offset %d (%d bytes): %s".formatted(file, offset, length, reason);
    }
}
