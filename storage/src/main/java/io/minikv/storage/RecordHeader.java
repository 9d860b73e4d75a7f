package io.minikv.storage;

/**
 * The fixed-size header in front of every record's key and value.
 *
 * @param type what the record means
 * @param keyLength bytes of key that follow the header
 * @param seq the store-wide sequence number; a higher one wins for the same key
 * @param txId reserved for transaction records; 0 for PUT and DELETE
 * @param timestampMillis wall-clock time of the write, for operators
 * @param valueLength bytes of value that follow the key
 * @param valueCrc CRC32C of the value bytes
 */
record RecordHeader(
        RecordType type, int keyLength, long seq, long txId, long timestampMillis, int valueLength, int valueCrc) {

    /** Bytes of the record on disk: header, key and value. */
    long recordLength() {
        return RecordCodec.HEADER_SIZE + (long) keyLength + valueLength;
    }
}
