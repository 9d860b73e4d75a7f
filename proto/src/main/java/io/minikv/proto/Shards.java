package io.minikv.proto;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The shard of a key: CRC32C of its UTF-8 bytes, unsigned, modulo {@value #COUNT}. Part of the
 * protocol (docs/protocol.md): volumes list keys per shard and coordinators place shards, so both
 * must compute it the same way, and it must never change.
 */
public final class Shards {
    public static final int COUNT = 256;

    private Shards() {}

    public static int of(String key) {
        CRC32C crc = new CRC32C();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % COUNT);
    }
}
