package io.minikv.storage;

/** The kind of a log record; the codes are part of the on-disk format (docs/storage-format.md). */
enum RecordType {
    /** A key's value. */
    PUT(1),
    /** A tombstone: the key is deleted as of this record's sequence number. */
    DELETE(2),
    /**
     * Space reserved by a streaming write that had not finished. It only ever stands at the tail of
     * a segment; recovery truncates it.
     */
    INCOMPLETE(9);

    final int code;

    RecordType(int code) {
        this.code = code;
    }

    /** Returns the type with this code, or null when the code is not one of ours. */
    static RecordType fromCode(int code) {
        return switch (code) {
            case 1 -> PUT;
            case 2 -> DELETE;
            case 9 -> INCOMPLETE;
            default -> null;
        };
    }
}
