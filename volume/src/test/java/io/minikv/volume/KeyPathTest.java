package io.minikv.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minikv.proto.MinikvException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeyPathTest {
    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /blobs/a             | a
            /blobs/a/b           | a/b
            /blobs/a%2Fb         | a/b
            /blobs/a%20b         | a b
            /blobs/a+b           | a+b
            /blobs/%C3%A9t%C3%A9 | été
            /blobs/%e2%82%ac     | €
            /blobs/a;b=c         | a;b=c
            /blobs/..            | ..
            /blobs/a//b/         | a//b/
            """)
    void decodesTheKeyAfterTheRoutePrefix(String rawPath, String key) {
        assertThat(KeyPath.key(rawPath)).isEqualTo(key);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/blobs/",
                "/blobs/%00",
                "/blobs/a%0Ab",
                "/blobs/%7F",
                "/blobs/%FF",
                "/blobs/%C3",
                "/blobs/%G1",
                "/blobs/a%2",
                "/blobs/%"
            })
    void refusesKeysThatBreakTheRules(String rawPath) {
        assertThatThrownBy(() -> KeyPath.key(rawPath)).isInstanceOf(MinikvException.InvalidArgument.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {1024, 1025})
    void limitsTheKeyTo1024Bytes(int length) {
        String path = "/blobs/" + "%C3%A9".repeat(length / 2) + "x".repeat(length % 2);
        if (length <= 1024) {
            assertThat(KeyPath.key(path)).hasSize(length / 2 + length % 2);
        } else {
            assertThatThrownBy(() -> KeyPath.key(path))
                    .isInstanceOf(MinikvException.InvalidArgument.class)
                    .hasMessageContaining("1024");
        }
    }
}
