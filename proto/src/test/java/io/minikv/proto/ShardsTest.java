package io.minikv.proto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShardsTest {
    /** Pinned (values computed by an independent CRC32C): shard numbers are part of the protocol. */
    @ParameterizedTest
    @CsvSource({"a, 48", "hello, 76", "photos/2026/cat.jpg, 223", "ключ, 174"})
    void shardOfKeyIsStable(String key, int shard) {
        assertThat(Shards.of(key)).isEqualTo(shard);
    }
}
