package io.minikv.coordinator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Which volumes hold a shard: rendezvous (highest random weight) hashing. Every volume gets a score
 * for the shard and the highest scores win, so adding or removing one volume moves only the shards
 * whose winners change, about 1/N of them. Pure: the same inputs give the same answer on every
 * coordinator, and the scores are pinned by tests because data placement depends on them.
 */
public final class Placement {
    private Placement() {}

    /** The {@code replicas} volumes (or fewer, when there are not enough) for {@code shard}, best first. */
    public static List<String> replicas(int shard, Collection<String> volumeIds, int replicas) {
        return volumeIds.stream()
                .sorted(Comparator.comparingLong((String volume) -> score(shard, volume))
                        .reversed()
                        .thenComparing(Comparator.naturalOrder()))
                .limit(replicas)
                .toList();
    }

    /** The weight of {@code volumeId} for {@code shard}: a 64-bit mix of CRC32C(volume id) and the shard. */
    static long score(int shard, String volumeId) {
        CRC32C crc = new CRC32C();
        crc.update(volumeId.getBytes(StandardCharsets.UTF_8));
        crc.update(ByteBuffer.allocate(4).putInt(shard).flip());
        long h = crc.getValue() * 0x9E3779B97F4A7C15L + shard;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
