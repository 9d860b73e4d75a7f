package io.minikv.coordinator;

import io.minikv.proto.v1.CoordinatorState;
import io.minikv.proto.v1.KeyState;
import io.minikv.proto.v1.SnapshotRecord;
import io.minikv.proto.v1.VolumeState;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The snapshot file of the metadata (docs/cluster.md): magic "MKVM", a format version byte, the
 * number of records, the records (length-delimited {@code SnapshotRecord} protobufs), and a CRC32C
 * of everything before it. A snapshot that fails any check is refused whole, never half-loaded.
 * It is written from a {@link MetadataImage}, frozen between two commands ({@link SnapshotWriter}).
 */
public final class MetadataSnapshot {
    static final int MAGIC = 0x4D4B564D; // "MKVM"
    static final int FORMAT_VERSION = 1;

    private MetadataSnapshot() {}

    public static void write(MetadataImage image, OutputStream out) throws IOException {
        List<CoordinatorState> coordinators = image.coordinators();
        List<VolumeState> volumes = image.volumes();
        CRC32C crc = new CRC32C();
        BufferedOutputStream buffered = new BufferedOutputStream(out);
        DataOutputStream data = new DataOutputStream(new CheckedOutputStream(buffered, crc));
        data.writeInt(MAGIC);
        data.writeByte(FORMAT_VERSION);
        data.writeLong(
                (long) coordinators.size() + volumes.size() + image.keys().size());
        for (CoordinatorState coordinator : coordinators) {
            SnapshotRecord.newBuilder().setCoordinator(coordinator).build().writeDelimitedTo(data);
        }
        for (VolumeState volume : volumes) {
            SnapshotRecord.newBuilder().setVolume(volume).build().writeDelimitedTo(data);
        }
        for (KeyState key : image.keys()) {
            SnapshotRecord.newBuilder().setKey(key).build().writeDelimitedTo(data);
        }
        data.flush();
        new DataOutputStream(buffered).writeInt((int) crc.getValue());
        buffered.flush();
    }

    /**
     * Reads a snapshot into {@code state}, replacing what it held.
     *
     * @throws IOException when the snapshot is damaged or of another format; {@code state} is unchanged
     */
    public static void read(InputStream in, MetadataState state) throws IOException {
        CRC32C crc = new CRC32C();
        BufferedInputStream buffered = new BufferedInputStream(in);
        DataInputStream data = new DataInputStream(new CheckedInputStream(buffered, crc));
        if (data.readInt() != MAGIC) {
            throw new IOException("not a minikv metadata snapshot");
        }
        int version = data.readUnsignedByte();
        if (version != FORMAT_VERSION) {
            throw new IOException("metadata snapshot format " + version + " is not supported");
        }
        long count = data.readLong();
        List<KeyState> keys = new ArrayList<>();
        List<VolumeState> volumes = new ArrayList<>();
        List<CoordinatorState> coordinators = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            SnapshotRecord record = SnapshotRecord.parseDelimitedFrom(data);
            if (record == null) {
                throw new IOException("metadata snapshot ends after " + i + " of " + count + " records");
            }
            switch (record.getRecordCase()) {
                case KEY -> keys.add(record.getKey());
                case VOLUME -> volumes.add(record.getVolume());
                case COORDINATOR -> coordinators.add(record.getCoordinator());
                case RECORD_NOT_SET -> throw new IOException("empty record in metadata snapshot");
            }
        }
        int computed = (int) crc.getValue();
        if (new DataInputStream(buffered).readInt() != computed || buffered.read() != -1) {
            throw new IOException("metadata snapshot is damaged (checksum mismatch or trailing bytes)");
        }
        state.reset(keys, volumes, coordinators);
    }
}
