package io.minikv.storage;

/**
 * Where the current record of a key lives.
 *
 * @param segmentId the segment file
 * @param offset byte offset of the record's header in that segment
 * @param valueLength bytes of value
 * @param seq the record's sequence number
 */
record Location(int segmentId, long offset, int valueLength, long seq) {
    long recordLength(int keyLength) {
        return RecordCodec.HEADER_SIZE + (long) keyLength + valueLength;
    }
}
