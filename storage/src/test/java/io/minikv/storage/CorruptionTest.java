package io.minikv.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Damaged files on a real disk: flipped bits, damaged hints, torn, garbage and zero-filled tails.
 * Whatever the damage, a read returns the value that was written or fails with {@link
 * CorruptRecordException}; it never returns a wrong value. Damage inside a file is reported; a torn
 * tail of the active segment is cut quietly (STYLE.md §2.4).
 */
class CorruptionTest {
    private static final int KEYS = 40;
    private static final int VALUE_SIZE = 300;

    @TempDir
    Path dir;

    private final List<CorruptionReport> reports = new CopyOnWriteArrayList<>();

    private StoreOptions options() {
        return StoreOptions.defaults()
                .withSegmentSize(4096)
                .withBackgroundCompaction(false)
                .withCorruptionListener(reports::add);
    }

    private static byte[] key(int i) {
        return "k%02d".formatted(i).getBytes(UTF_8);
    }

    private static byte[] value(int i) {
        return CheckedValue.encode(key(i), 1, VALUE_SIZE);
    }

    /** Writes k00..k39 into several segments (all sealed but the active one) and closes the store. */
    private void fill() throws IOException {
        try (Store store = Store.open(dir, options())) {
            for (int i = 0; i < KEYS; i++) {
                store.put(key(i), value(i));
            }
        }
        assertThat(sealedSegments()).as("sealed segments").hasSizeGreaterThanOrEqualTo(2);
    }

    /** Where a record lies in a segment file; {@code keyIndex} is -1 for keys other than k00..k39. */
    private record RecordAt(Path file, int keyIndex, long offset, int keyLength, int valueLength) {
        long valueOffset() {
            return offset + RecordCodec.HEADER_SIZE + keyLength;
        }

        long end() {
            return valueOffset() + valueLength;
        }
    }

    /** The records of a segment file, read with the engine's codec. */
    private static List<RecordAt> records(Path segment) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(segment));
        int salt = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(12);
        List<RecordAt> records = new ArrayList<>();
        int position = Segment.FILE_HEADER_SIZE;
        while (position + RecordCodec.HEADER_SIZE <= bytes.limit()) {
            RecordHeader header = RecordCodec.decodeHeader(bytes.duplicate().position(position), salt);
            if (header == null) {
                break;
            }
            String key = new String(bytes.array(), position + RecordCodec.HEADER_SIZE, header.keyLength(), UTF_8);
            records.add(new RecordAt(
                    segment,
                    key.matches("k\\d\\d") ? Integer.parseInt(key.substring(1)) : -1,
                    position,
                    header.keyLength(),
                    header.valueLength()));
            position += (int) header.recordLength();
        }
        return records;
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }

    private List<Path> sealedSegments() throws IOException {
        return segments().stream().filter(p -> Files.exists(hintOf(p))).toList();
    }

    private Path activeSegment() throws IOException {
        List<Path> unsealed =
                segments().stream().filter(p -> !Files.exists(hintOf(p))).toList();
        assertThat(unsealed).as("segments without a hint").hasSize(1);
        return unsealed.getFirst();
    }

    private static Path hintOf(Path segment) {
        return segment.resolveSibling(segment.getFileName().toString().replace(".seg", ".hint"));
    }

    /** A record in the middle of the first sealed segment: records stand before and after it. */
    private RecordAt recordInsideASealedSegment() throws IOException {
        List<RecordAt> records = records(sealedSegments().getFirst());
        assertThat(records).hasSizeGreaterThanOrEqualTo(3);
        return records.get(records.size() / 2);
    }

    private static void flipBit(Path file, long offset, int bit) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            channel.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ (1 << bit)));
            channel.write(b.rewind(), offset);
        }
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }

    private static void append(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes, StandardOpenOption.APPEND);
    }

    /** Every key but {@code damaged} reads back exactly as written; {@code damaged} is absent. */
    private static void assertIntactExceptAbsent(Store store, int damaged) throws IOException {
        for (int i = 0; i < KEYS; i++) {
            Optional<byte[]> value = store.get(key(i));
            if (i == damaged) {
                assertThat(value).as("k%02d, whose record is damaged", i).isEmpty();
            } else {
                byte[] expected = value(i);
                assertThat(value)
                        .as("k%02d", i)
                        .hasValueSatisfying(v -> assertThat(v).isEqualTo(expected));
            }
        }
    }

    private static void assertAllIntact(Store store) throws IOException {
        assertIntactExceptAbsent(store, -1);
    }

    /** Later writes work and survive a reopen: recovery left the file appendable. */
    private void assertAppendsContinue() throws IOException {
        byte[] key = "after".getBytes(UTF_8);
        byte[] value = CheckedValue.encode(key, 7, 2000);
        try (Store store = Store.open(dir, options())) {
            store.put(key, value);
        }
        try (Store store = Store.open(dir, options())) {
            assertThat(store.get(key)).hasValueSatisfying(v -> assertThat(v).isEqualTo(value));
            assertThat(store.stats().keys())
                    .isEqualTo(store.scan(new byte[0], null, 1000).size());
        }
    }

    @Test
    void flippedValueBitInASealedSegmentIsReportedOnReadAndNeverServed() throws IOException {
        fill();
        RecordAt damaged = recordInsideASealedSegment();
        flipBit(damaged.file(), damaged.valueOffset() + 100, 3);
        for (int open = 0; open < 2; open++) {
            reports.clear();
            try (Store store = Store.open(dir, options())) {
                assertThatThrownBy(() -> store.get(key(damaged.keyIndex()))).isInstanceOf(CorruptRecordException.class);
                assertThat(reports).as("reported on open %d", open).anySatisfy(r -> {
                    assertThat(r.file()).isEqualTo(damaged.file().getFileName().toString());
                    assertThat(r.offset()).isEqualTo(damaged.offset());
                });
                assertThat(store.stats().corruptionsReported()).isPositive();
                for (int i = 0; i < KEYS; i++) {
                    if (i != damaged.keyIndex()) {
                        byte[] expected = value(i);
                        assertThat(store.get(key(i)))
                                .as("k%02d", i)
                                .hasValueSatisfying(v -> assertThat(v).isEqualTo(expected));
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "byte {0} of the header or key")
    @ValueSource(ints = {0, 4, 5, 6, 7, 9, 17, 25, 32, 35, 37, 40, 42})
    void flippedHeaderBitInASealedSegmentWithoutHintIsReportedAndLaterRecordsKept(int at) throws IOException {
        fill();
        RecordAt damaged = recordInsideASealedSegment();
        Files.delete(hintOf(damaged.file()));
        flipBit(damaged.file(), damaged.offset() + at, at % 8);
        try (Store store = Store.open(dir, options())) {
            assertThat(reports).anySatisfy(r -> {
                assertThat(r.file()).isEqualTo(damaged.file().getFileName().toString());
                assertThat(r.offset()).isEqualTo(damaged.offset());
            });
            assertIntactExceptAbsent(store, damaged.keyIndex());
        }
        try (Store store = Store.open(dir, options())) {
            assertIntactExceptAbsent(store, damaged.keyIndex());
        }
        assertAppendsContinue();
    }

    @Test
    void flippedHeaderBitWithTheHintInPlaceFailsTheRead() throws IOException {
        fill();
        RecordAt damaged = recordInsideASealedSegment();
        flipBit(damaged.file(), damaged.offset() + 9, 0);
        try (Store store = Store.open(dir, options())) {
            assertThatThrownBy(() -> store.get(key(damaged.keyIndex()))).isInstanceOf(CorruptRecordException.class);
            assertThatThrownBy(() -> store.openValue(key(damaged.keyIndex())))
                    .isInstanceOf(CorruptRecordException.class);
            assertThat(store.stats().corruptionsReported()).isPositive();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"flip", "truncate to nothing", "truncate to half", "drop last byte", "append a byte"})
    void damagedHintFileFallsBackToScanningTheSegment(String damage) throws IOException {
        fill();
        Path segment = sealedSegments().getFirst();
        Path hint = hintOf(segment);
        long size = Files.size(hint);
        switch (damage) {
            case "flip" -> flipBit(hint, size / 2, 5);
            case "truncate to nothing" -> truncate(hint, 0);
            case "truncate to half" -> truncate(hint, size / 2);
            case "drop last byte" -> truncate(hint, size - 1);
            case "append a byte" -> append(hint, new byte[] {7});
            default -> throw new IllegalArgumentException(damage);
        }
        try (Store store = Store.open(dir, options())) {
            assertThat(reports)
                    .anySatisfy(r ->
                            assertThat(r.file()).isEqualTo(hint.getFileName().toString()));
            assertAllIntact(store);
        }
        try (Store store = Store.open(dir, options())) {
            assertAllIntact(store);
        }
        assertAppendsContinue();
    }

    @ParameterizedTest(name = "cut {0} bytes into the last record")
    @ValueSource(ints = {1, 20, 39, 40, 41, 43, 200, -1})
    void tornActiveTailIsCutQuietlyAndAppendsContinue(int into) throws IOException {
        fill();
        Path active = activeSegment();
        List<RecordAt> records = records(active);
        RecordAt last = records.getLast();
        long cut = into < 0 ? last.end() - 1 : last.offset() + into;
        truncate(active, cut);
        try (Store store = Store.open(dir, options())) {
            assertThat(reports).as("a torn tail is not corruption").isEmpty();
            assertIntactExceptAbsent(store, last.keyIndex());
        }
        assertThat(Files.size(active)).as("the torn record is cut off").isEqualTo(last.offset());
        assertAppendsContinue();
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1, 39, 40, 1000, 70_000})
    void randomGarbageAfterTheActiveTailIsDropped(int length) throws IOException {
        fill();
        Path active = activeSegment();
        long validEnd = Files.size(active);
        byte[] garbage = new byte[length];
        new SplittableRandom(length).nextBytes(garbage);
        append(active, garbage);
        try (Store store = Store.open(dir, options())) {
            assertAllIntact(store);
        }
        assertThat(Files.size(active)).isEqualTo(validEnd);
        assertAppendsContinue();
    }

    @ParameterizedTest(name = "{0} zero bytes")
    @ValueSource(ints = {1, 40, 4096, 1 << 20})
    void zeroFilledTailOfTheActiveSegmentIsDropped(int length) throws IOException {
        fill();
        Path active = activeSegment();
        long validEnd = Files.size(active);
        append(active, new byte[length]);
        try (Store store = Store.open(dir, options())) {
            assertThat(reports).as("zeros at the end are a torn tail").isEmpty();
            assertAllIntact(store);
        }
        assertThat(Files.size(active)).isEqualTo(validEnd);
        assertAppendsContinue();
    }

    @Test
    void zeroedSectorInsideTheActiveSegmentIsReportedAndLaterRecordsKept() throws IOException {
        fill();
        Path active = activeSegment();
        List<RecordAt> records = records(active);
        assertThat(records).hasSizeGreaterThanOrEqualTo(3);
        RecordAt damaged = records.get(1);
        try (FileChannel channel = FileChannel.open(active, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate((int) (damaged.end() - damaged.offset())), damaged.offset());
        }
        try (Store store = Store.open(dir, options())) {
            assertThat(reports).anySatisfy(r -> assertThat(r.offset()).isEqualTo(damaged.offset()));
            assertIntactExceptAbsent(store, damaged.keyIndex());
        }
        assertAppendsContinue();
    }

    @Test
    void compactionDropsAndReportsACorruptRecordAndKeepsTheOthers() throws IOException {
        fill();
        RecordAt damaged = recordInsideASealedSegment();
        flipBit(damaged.file(), damaged.valueOffset() + 7, 1);
        try (Store store = Store.open(dir, options())) {
            // Garbage in every sealed segment, so that compaction rewrites them all.
            for (Path segment : sealedSegments()) {
                int victim = records(segment).getFirst().keyIndex();
                if (victim != damaged.keyIndex()) {
                    store.put(key(victim), value(victim));
                }
            }
            CompactionResult result = store.compact();
            assertThat(result.segmentsCompacted()).isPositive();
            assertThat(reports).anySatisfy(r -> {
                assertThat(r.file()).isEqualTo(damaged.file().getFileName().toString());
                assertThat(r.offset()).isEqualTo(damaged.offset());
            });
            assertThat(Files.exists(damaged.file()))
                    .as("the damaged input is gone")
                    .isFalse();
            assertIntactExceptAbsent(store, damaged.keyIndex());
        }
        try (Store store = Store.open(dir, options())) {
            assertIntactExceptAbsent(store, damaged.keyIndex());
        }
    }

    @ParameterizedTest(name = "bit flipped at byte {0}")
    @ValueSource(ints = {8, 12, 15, 17})
    void damagedSegmentFileHeaderIsReportedAndItsRecordsStillRead(int at) throws IOException {
        fill();
        Path segment = sealedSegments().getFirst();
        Files.delete(hintOf(segment));
        flipBit(segment, at, 2);
        try (Store store = Store.open(dir, options())) {
            assertThat(reports).anySatisfy(r -> {
                assertThat(r.file()).isEqualTo(segment.getFileName().toString());
                assertThat(r.offset()).isZero();
            });
            assertAllIntact(store);
        }
    }

    @ParameterizedTest(name = "damage in chunk {0}")
    @ValueSource(ints = {0, 2})
    void valueStreamWithholdsTheLastChunkOfADamagedValue(int chunk) throws IOException {
        byte[] key = "big".getBytes(UTF_8);
        byte[] value = CheckedValue.encode(key, 1, 3 * 64 * 1024 - 10);
        try (Store store = Store.open(dir, options())) {
            store.put(key, new ByteArrayInputStream(value), value.length);
            store.compact();
        }
        Path segment = null;
        for (Path candidate : segments()) {
            if (records(candidate).stream().anyMatch(r -> r.keyLength() == key.length)) {
                segment = candidate;
            }
        }
        assertThat(segment).as("the segment holding the value").isNotNull();
        RecordAt record = records(segment).getFirst();
        flipBit(segment, record.valueOffset() + chunk * 64L * 1024 + 5, 6);
        try (Store store = Store.open(dir, options())) {
            long delivered = 0;
            try (InputStream in = store.openValue(key).orElseThrow()) {
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    delivered += n;
                }
                throw new AssertionError("the damaged value was delivered whole");
            } catch (CorruptRecordException expected) {
                assertThat(delivered).isLessThanOrEqualTo(value.length - 64 * 1024 + 10);
            }
            assertThatThrownBy(() -> store.get(key)).isInstanceOf(CorruptRecordException.class);
        }
    }

    /**
     * A stored value may itself contain whole records (a backup of a segment file stored as a
     * blob). When the header in front of it is damaged, the scan that skips the damage must not
     * take those bytes for records of the store: they were written with another segment's salt.
     */
    @Test
    void recordsInsideAValueAreNeverTakenForRecordsOfTheStore() throws IOException {
        byte[] victim = "victim".getBytes(UTF_8);
        byte[] genuine = CheckedValue.encode(victim, 1, 100);
        byte[] forged = CheckedValue.encode(victim, 666, 100);
        ByteBuffer inner = RecordCodec.encodeRecord(
                new RecordHeader(
                        RecordType.PUT,
                        victim.length,
                        1L << 40,
                        0,
                        0,
                        forged.length,
                        RecordCodec.valueCrc(forged, 0, forged.length)),
                victim,
                forged,
                0x5EED);
        byte[] carrierKey = "carrier".getBytes(UTF_8);
        byte[] carrier = new byte[inner.remaining() + 64];
        inner.get(carrier, 32, inner.remaining());
        try (Store store = Store.open(dir, options())) {
            store.put(victim, genuine);
            store.put(carrierKey, carrier);
            store.compact();
        }
        Path segment = sealedSegments().getLast();
        RecordAt carrierRecord = records(segment).stream()
                .filter(r -> r.keyLength() == carrierKey.length)
                .findFirst()
                .orElseThrow();
        Files.delete(hintOf(segment));
        flipBit(segment, carrierRecord.offset() + 9, 0);
        try (Store store = Store.open(dir, options())) {
            Optional<byte[]> value = store.get(victim);
            assertThat(value).isPresent();
            assertThat(CheckedValue.versionOf(victim, value.get()))
                    .as("the victim's value: the one written, not the one inside the carrier")
                    .isEqualTo(1);
        }
    }
}
