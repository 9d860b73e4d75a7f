package io.minikv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteSizeTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            0                   | 0 bytes
            1                   | 1 byte
            1023                | 1023 bytes
            1024                | 1.0 KiB (1024 bytes)
            1536                | 1.5 KiB (1536 bytes)
            1057312             | 1.0 MiB (1057312 bytes)
            5368709120          | 5.0 GiB (5368709120 bytes)
            9223372036854775807 | 8.0 EiB (9223372036854775807 bytes)
            """)
    void describesBytesForPeopleWithTheExactCount(long bytes, String expected) {
        assertThat(ByteSize.describe(bytes)).isEqualTo(expected);
    }
}
