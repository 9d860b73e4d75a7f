package io.minikv.storage;

/** A value longer than {@link StoreOptions#maxValueSize()}; nothing was stored. */
public final class ValueTooLargeException extends IllegalArgumentException {
    private final long limit;

    public ValueTooLargeException(long limit) {
        super("value exceeds the limit of " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
