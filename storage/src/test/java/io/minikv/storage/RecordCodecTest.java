package io.minikv.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordCodecTest {
    private static final byte[] KEY = "key".getBytes(UTF_8);
    private static final byte[] VALUE = "value".getBytes(UTF_8);
    private static final int SALT = 0x12345678;
    private static final RecordHeader HEADER = new RecordHeader(
            RecordType.PUT, KEY.length, 7, 0, 1_700_000_000_000L, VALUE.length, RecordCodec.valueCrc(VALUE, 0, 5));

    /** Pins the on-disk layout of docs/storage-format.md: changing it must be deliberate. */
    @Test
    void encodesTheDocumentedBytes() {
        ByteBuffer record = RecordCodec.encodeRecord(HEADER, KEY, VALUE, SALT);
        assertThat(HexFormat.of().formatHex(record.array()))
                .isEqualTo(
                        "4a6b8a3a" // header CRC32C of salt 0x12345678 (LE), bytes 4..39 and key (independent CRC32C)
                                + "01" // type PUT
                                + "00" // flags
                                + "0300" // key length 3
                                + "0700000000000000" // seq 7
                                + "0000000000000000" // txId 0
                                + "0068e5cf8b010000" // timestamp 1700000000000 ms
                                + "05000000" // value length 5
                                + "6303e0e1" // value CRC32C of "value"
                                + "6b6579" // "key"
                                + "76616c7565"); // "value"
    }

    @Test
    void recordOfAnotherSegmentDoesNotDecode() {
        ByteBuffer record = RecordCodec.encodeRecord(HEADER, KEY, VALUE, SALT);
        assertThat(RecordCodec.decodeHeader(record, SALT + 1)).isNull();
        assertThat(HexFormat.of()
                        .formatHex(
                                RecordCodec.encodeRecord(HEADER, KEY, VALUE, 0).array(), 0, 4))
                .isEqualTo("6c1406e2");
    }

    @Test
    void decodesWhatItEncodes() {
        ByteBuffer record = RecordCodec.encodeRecord(HEADER, KEY, VALUE, SALT);
        assertThat(RecordCodec.decodeHeader(record, SALT)).isEqualTo(HEADER);
        assertThat(HEADER.recordLength()).isEqualTo(record.remaining());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 4, 5, 6, 8, 16, 24, 32, 36, 39, 40, 42})
    void anyFlippedBitInHeaderOrKeyIsDetected(int byteIndex) {
        ByteBuffer record = RecordCodec.encodeRecord(HEADER, KEY, VALUE, SALT);
        for (int bit = 0; bit < 8; bit++) {
            ByteBuffer damaged = ByteBuffer.wrap(record.array().clone());
            damaged.put(byteIndex, (byte) (damaged.get(byteIndex) ^ (1 << bit)));
            assertThat(RecordCodec.decodeHeader(damaged, SALT))
                    .as("bit %d of byte %d", bit, byteIndex)
                    .isNull();
        }
    }

    @Test
    void rejectsUnknownTypeAndOversizedKey() {
        ByteBuffer record = RecordCodec.encodeRecord(HEADER, KEY, VALUE, SALT);
        ByteBuffer unknownType = ByteBuffer.wrap(record.array().clone()).put(4, (byte) 77);
        assertThat(RecordCodec.decodeHeader(unknownType, SALT)).isNull();
        ByteBuffer hugeKey =
                ByteBuffer.wrap(record.array().clone()).put(6, (byte) 0xFF).put(7, (byte) 0xFF);
        assertThat(RecordCodec.decodeHeader(hugeKey, SALT)).isNull();
    }

    @Test
    void truncatedRecordDoesNotDecode() {
        ByteBuffer record = RecordCodec.encodeRecord(HEADER, KEY, VALUE, SALT);
        assertThat(RecordCodec.decodeHeader(record.slice(0, RecordCodec.HEADER_SIZE + 1), SALT))
                .isNull();
    }

    @Test
    void valueChecksumIsCrc32c() {
        // CRC32C("123456789") = 0xE3069283, the standard check value.
        assertThat(RecordCodec.valueCrc("123456789".getBytes(UTF_8), 0, 9)).isEqualTo(0xE3069283);
    }
}
