package io.minikv.proto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlobKeysTest {
    @ParameterizedTest
    @ValueSource(strings = {"a", "a/b/c", "with space", "ключ", "emoji-😀", "x/"})
    void acceptsPrintableUtf8(String key) {
        assertThat(BlobKeys.problem(key)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "tab\there", "nul\u0000", "del\u007f", "c1\u0085", "lone\ud800"})
    void rejectsEmptyControlAndBrokenKeys(String key) {
        assertThat(BlobKeys.problem(key)).isNotNull();
    }

    @Test
    void limitIsInBytesNotCharacters() {
        assertThat(BlobKeys.problem("é".repeat(512))).isNull();
        assertThat(BlobKeys.problem("é".repeat(513))).contains("1026 bytes");
    }

    @Test
    void decodesOnlyValidUtf8() {
        assertThat(BlobKeys.decode(new byte[] {(byte) 0xC3, (byte) 0xA9})).isEqualTo("é");
        assertThat(BlobKeys.decode(new byte[] {(byte) 0xC3})).isNull();
    }
}
