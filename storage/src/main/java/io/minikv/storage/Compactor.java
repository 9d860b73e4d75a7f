package io.minikv.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Rewrites sealed segments without their garbage.
 *
 * <p>Live records are copied (checksums verified on the way) into new segments written under
 * temporary names; each index entry is moved to its copy only if it still points at the original,
 * so writes that race with compaction win. An output becomes a segment (hint first, then the
 * segment renamed into place, then the directory synced) before any input is retired, and an input
 * file is deleted only after its last reader. A crash at any step leaves either the inputs, or the
 * inputs and complete outputs whose records carry the same sequence numbers: recovery keeps one
 * copy of each.
 *
 * <p>A tombstone is dropped only when no other segment on disk holds a record older than it, since
 * only then can it hide nothing. Tombstones that stay count as live bytes in the output, so that a
 * segment of necessary tombstones is not rewritten again and again.
 */
final class Compactor {
    private static final int CHUNK = 1 << 20;

    private final Disk disk;
    private final SegmentSet segments;
    private final KeyIndex index;
    private final StoreOptions options;
    private final Consumer<CorruptionReport> reporter;
    private final BooleanSupplier cancelled;
    private final LogSync syncLog;

    /** Makes every record appended to the log so far durable. */
    @FunctionalInterface
    interface LogSync {
        void sync() throws IOException;
    }

    Compactor(
            Disk disk,
            SegmentSet segments,
            KeyIndex index,
            StoreOptions options,
            Consumer<CorruptionReport> reporter,
            BooleanSupplier cancelled,
            LogSync syncLog) {
        this.disk = disk;
        this.segments = segments;
        this.index = index;
        this.options = options;
        this.reporter = reporter;
        this.cancelled = cancelled;
        this.syncLog = syncLog;
    }

    /**
     * Compacts {@code inputs} into new segments and retires them.
     *
     * @throws CancellationException when the store closes meanwhile; the inputs stay
     */
    CompactionResult compact(List<Segment> inputs) throws IOException {
        if (inputs.isEmpty()) {
            return CompactionResult.NOTHING;
        }
        Run run = new Run(new RateLimiter(options.compactionBytesPerSecond()));
        long before = 0;
        try {
            for (Segment input : inputs) {
                before += input.size();
                run.copyLiveRecords(input);
            }
            run.finishOutput();
            // A record was dropped because a newer one replaced it in the index, and with INTERVAL
            // or NEVER durability that one may not be on disk yet: without this sync, a crash
            // after the inputs are deleted would lose both, and the key would go back further
            // than the last sync.
            syncLog.sync();
        } catch (IOException | RuntimeException e) {
            // Inputs stay, and the index goes back to them from an unfinished output, which the
            // next open deletes with its temporary file.
            run.abandon();
            throw e;
        }
        for (Segment input : inputs) {
            segments.retire(input);
        }
        long after = run.outputs.stream().mapToLong(Segment::size).sum();
        return new CompactionResult(inputs.size(), before, after);
    }

    private record Relocation(byte[] key, Location original, Location copy) {}

    /** The state of one compaction: its outputs and the one being written. */
    private final class Run {
        private final RateLimiter limiter;
        private final List<Segment> outputs = new ArrayList<>();
        /** Index entries moved into the output being written, moved back if it is abandoned. */
        private final List<Relocation> intoUnfinishedOutput = new ArrayList<>();

        private final CRC32C crc = new CRC32C();
        /**
         * Records copied for the output and not yet written to it: one write call for many small
         * records, since a call per record costs more than copying it.
         */
        private final ByteBuffer gathered = ByteBuffer.allocate(CHUNK);
        /** The index moves of the records in {@link #gathered}, made once they are written. */
        private final List<Relocation> unwritten = new ArrayList<>();
        /** The input being read, read ahead a chunk at a time: its records come in file order. */
        private ReadWindow window;

        private Segment output;
        private HintFile.Writer hint;

        Run(RateLimiter limiter) {
            this.limiter = limiter;
        }

        void copyLiveRecords(Segment input) throws IOException {
            Set<Segment> excluded = new HashSet<>(outputs);
            excluded.add(input);
            long minSeqElsewhere = segments.minSeqExcept(excluded);
            window = new ReadWindow(input.file(), input.size(), CHUNK);
            HintFile.EntryVisitor visitor = (type, key, offset, valueLength, seq) -> {
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException("store closed during compaction");
                }
                Location original = new Location(input.id, offset, valueLength, seq);
                boolean keep = switch (type) {
                    case PUT -> original.equals(index.get(key));
                    case DELETE -> index.get(key) == null && minSeqElsewhere < seq;
                    case INCOMPLETE -> false;
                };
                if (keep) {
                    copy(input, type, key, original);
                }
            };
            if (!HintFile.read(disk, input.id, visitor)) {
                new SegmentScanner(input, input.size(), reporter)
                        .scan((header, key, offset) ->
                                visitor.visit(header.type(), key, offset, header.valueLength(), header.seq()));
            }
        }

        private void copy(Segment input, RecordType type, byte[] key, Location original) throws IOException {
            long length = original.recordLength(key.length);
            if (output == null
                    || (output.size() + length > options.segmentSize() && output.size() > Segment.FILE_HEADER_SIZE)) {
                finishOutput();
                startOutput();
            }
            long start = output.size();
            boolean intact;
            if (length <= CHUNK) {
                if (gathered.remaining() < length) {
                    writeGathered();
                }
                intact = gatherVerified(input, key, original.offset(), (int) length);
            } else {
                writeGathered();
                intact = copyVerified(input, key, original.offset(), length, start);
                if (!intact) {
                    output.file().truncate(start);
                }
            }
            if (!intact) {
                reporter.accept(new CorruptionReport(
                        input.name(), original.offset(), length, "checksum mismatch while compacting; record dropped"));
                if (type == RecordType.PUT) {
                    index.removeIfAt(key, original);
                }
                return;
            }
            output.setSize(start + length);
            output.noteSeq(original.seq());
            hint.add(type, key, start, original.valueLength(), original.seq());
            if (type == RecordType.PUT) {
                unwritten.add(new Relocation(
                        key, original, new Location(output.id, start, original.valueLength(), original.seq())));
            }
            if (length > CHUNK) {
                // Its bytes are in the output already: move the index to it now.
                writeGathered();
            }
        }

        /**
         * Checks a record that fits {@link #window} and adds it, its header written anew with the
         * output's salt, to {@link #gathered}; false, with nothing added, when a checksum does not match.
         */
        private boolean gatherVerified(Segment input, byte[] key, long from, int length) throws IOException {
            ByteBuffer record = window.at(from, length);
            if (record.remaining() != length) {
                return false;
            }
            RecordHeader header = resalted(input, record, key, length);
            if (header == null) {
                return false;
            }
            int valueStart = RecordCodec.HEADER_SIZE + header.keyLength();
            crc.reset();
            crc.update(record.slice(valueStart, length - valueStart));
            if ((int) crc.getValue() != header.valueCrc()) {
                return false;
            }
            gathered.put(record);
            pace(length);
            return true;
        }

        /**
         * Writes the records gathered so far at the end of the output, then moves the index to the
         * copies of those that are still current: until their bytes are in the file, the index keeps
         * pointing at the originals, so that readers never look for a record that is not there yet.
         */
        private void writeGathered() throws IOException {
            if (gathered.position() > 0) {
                long at = output.size() - gathered.position();
                output.file().write(gathered.flip(), at);
                gathered.clear();
            }
            for (Relocation r : unwritten) {
                if (index.relocate(r.key(), r.original(), r.copy())) {
                    intoUnfinishedOutput.add(r);
                } else {
                    output.addDead(r.copy().recordLength(r.key().length));
                }
            }
            unwritten.clear();
        }

        /**
         * Copies a record larger than {@link #window} chunk by chunk, checking its header and value
         * checksums. The header is written anew with the output's salt; everything else is copied as it was.
         */
        private boolean copyVerified(Segment input, byte[] key, long from, long length, long to) throws IOException {
            crc.reset();
            RecordHeader header = null;
            for (long done = 0; done < length; ) {
                int chunk = (int) Math.min(CHUNK, length - done);
                ByteBuffer bytes = input.read(from + done, chunk);
                int valueStart = 0;
                if (header == null) {
                    header = resalted(input, bytes, key, length);
                    if (header == null) {
                        return false;
                    }
                    valueStart = RecordCodec.HEADER_SIZE + header.keyLength();
                }
                crc.update(bytes.slice(valueStart, bytes.remaining() - valueStart));
                output.file().write(bytes, to + done);
                pace(chunk);
                done += chunk;
            }
            return (int) crc.getValue() == header.valueCrc();
        }

        /**
         * The header at the start of {@code bytes}, read from {@code input}, rewritten in place with the
         * output's salt; null when it does not check out or does not describe a record of {@code length}.
         */
        private RecordHeader resalted(Segment input, ByteBuffer bytes, byte[] key, long length) {
            RecordHeader header = RecordCodec.decodeHeader(bytes, input.salt());
            if (header == null || header.recordLength() != length) {
                return null;
            }
            RecordCodec.encodeHeader(bytes.duplicate(), header, key, output.salt());
            return header;
        }

        private void pace(long bytes) throws IOException {
            try {
                limiter.acquire(bytes);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("compaction interrupted");
            }
        }

        private void startOutput() throws IOException {
            int id = segments.allocateId();
            output = Segment.create(disk, id, FileNames.temp(FileNames.segment(id)));
            hint = new HintFile.Writer(disk, id);
            segments.add(output);
            outputs.add(output);
        }

        /**
         * Points the index back at the inputs for records copied into an output that was not
         * finished: its file is temporary, and a later compaction would otherwise judge the
         * inputs' records dead and delete the last durable copy.
         */
        void abandon() throws IOException {
            for (Relocation r : intoUnfinishedOutput) {
                index.relocate(r.key(), r.copy(), r.original());
            }
            intoUnfinishedOutput.clear();
            if (hint != null) {
                hint.close();
            }
        }

        void finishOutput() throws IOException {
            if (output == null) {
                return;
            }
            writeGathered();
            output.file().force();
            hint.finish();
            disk.rename(FileNames.temp(output.name()), output.name());
            disk.syncDirectory();
            output.markSealed();
            output = null;
            hint = null;
            intoUnfinishedOutput.clear();
        }
    }
}
