package io.minikv.proto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CopyBuffersTest {
    @ParameterizedTest
    @CsvSource({
        "-1, 1024", // unknown length: a whole chunk
        "0, 1", // an empty value still gets a buffer that reads can use
        "256, 256",
        "1024, 1024",
        "1025, 1024",
        "10000000000, 1024" // beyond an int: a chunk
    })
    void bufferIsTheValueOrAChunkWhicheverIsSmaller(long length, int expected) {
        assertThat(CopyBuffers.forValue(length, 1024)).hasSize(expected);
    }
}
