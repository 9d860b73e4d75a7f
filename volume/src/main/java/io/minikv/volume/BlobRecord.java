package io.minikv.volume;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The small engine values through which a volume keeps blobs (docs/volume-format.md): the
 * committed pointer stored under the blob's own key, the deletion that replaces it in a cluster, and
 * the marker of a prepared transaction. Small data travels inline; larger data lives in a separate
 * engine record named by the transaction id. Pure: bytes in, records out.
 *
 * @param kind what the record means
 * @param info the version it describes
 * @param transactionId the transaction that wrote the version; names the data record
 * @param inlineData the data itself when small, else null
 */
record BlobRecord(Kind kind, BlobInfo info, long transactionId, byte[] inlineData) {
    static final int FORMAT_VERSION = 1;
    private static final int FIXED = 54;
    private static final int FLAG_INLINE = 1;

    enum Kind {
        COMMITTED(1),
        DELETED(2),
        PREPARED(3);

        final int code;

        Kind(int code) {
            this.code = code;
        }
    }

    byte[] encode() {
        byte[] contentType = info.contentType().getBytes(StandardCharsets.UTF_8);
        byte[] key = kind == Kind.PREPARED ? info.key().getBytes(StandardCharsets.UTF_8) : new byte[0];
        int inline = inlineData == null ? 0 : inlineData.length;
        ByteBuffer b = ByteBuffer.allocate(FIXED + contentType.length + 2 + key.length + inline)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) FORMAT_VERSION).put((byte) kind.code).put((byte) (inlineData == null ? 0 : FLAG_INLINE));
        b.put((byte) 0);
        b.putLong(info.version()).putLong(transactionId).putLong(info.size()).putLong(info.createdAtMillis());
        b.put(etagBytes(info.etag()));
        b.putShort((short) contentType.length).put(contentType);
        b.putShort((short) key.length).put(key);
        if (inlineData != null) {
            b.put(inlineData);
        }
        return b.array();
    }

    /**
     * Decodes a record stored under {@code storedKey} (the blob key for pointers; ignored for
     * markers, which carry their key).
     *
     * @throws IllegalArgumentException when the bytes are not a record of this format
     */
    static BlobRecord decode(String storedKey, byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < FIXED + 2 || b.get() != FORMAT_VERSION) {
            throw new IllegalArgumentException("not a blob record of format " + FORMAT_VERSION);
        }
        Kind kind = switch (b.get()) {
            case 1 -> Kind.COMMITTED;
            case 2 -> Kind.DELETED;
            case 3 -> Kind.PREPARED;
            default -> throw new IllegalArgumentException("unknown blob record kind");
        };
        boolean inline = (b.get() & FLAG_INLINE) != 0;
        b.get();
        long version = b.getLong();
        long transactionId = b.getLong();
        long size = b.getLong();
        long createdAt = b.getLong();
        byte[] etag = new byte[16];
        b.get(etag);
        String contentType = string(b);
        String key = string(b);
        byte[] data = null;
        if (inline) {
            data = new byte[b.remaining()];
            b.get(data);
        }
        String blobKey = kind == Kind.PREPARED ? key : storedKey;
        BlobInfo info = new BlobInfo(blobKey, version, size, HexFormat.of().formatHex(etag), contentType, createdAt);
        return new BlobRecord(kind, info, transactionId, data);
    }

    private static String string(ByteBuffer b) {
        byte[] bytes = new byte[b.getShort() & 0xFFFF];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] etagBytes(String etag) {
        byte[] bytes = HexFormat.of().parseHex(etag);
        if (bytes.length != 16) {
            throw new IllegalArgumentException("etag must be an MD5 in hex: " + etag);
        }
        return bytes;
    }
}
