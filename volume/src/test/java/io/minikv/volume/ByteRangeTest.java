package io.minikv.volume;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteRangeTest {
    @ParameterizedTest(name = "[{index}] Range: {0} of {1} bytes -> {2}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            null            | 10 | whole
            bytes=2-5       | 10 | 2-5
            bytes=0-0       | 10 | 0-0
            bytes=2-        | 10 | 2-9
            bytes=-3        | 10 | 7-9
            bytes=-10       | 10 | 0-9
            bytes=-1000     | 10 | 0-9
            bytes=5-1000    | 10 | 5-9
            bytes=9-9       | 10 | 9-9
            BYTES=2-5       | 10 | 2-5
            bytes= 2 - 5    | 10 | 2-5
            bytes=10-       | 10 | unsatisfiable
            bytes=10-20     | 10 | unsatisfiable
            bytes=-0        | 10 | unsatisfiable
            bytes=0-        | 0  | unsatisfiable
            bytes=-5        | 0  | unsatisfiable
            bytes=5-2       | 10 | whole
            bytes=-         | 10 | whole
            bytes=a-b       | 10 | whole
            bytes=1-2,4-5   | 10 | whole
            items=1-2       | 10 | whole
            bytes=2         | 10 | whole
            ''              | 10 | whole
            bytes=99999999999999999999- | 10 | whole
            """)
    void readsOneByteRange(String header, long size, String expected) {
        ByteRange range = ByteRange.of(header, size);
        String actual = switch (range) {
            case ByteRange.Whole ignored -> "whole";
            case ByteRange.Unsatisfiable ignored -> "unsatisfiable";
            case ByteRange.Slice(long first, long last) -> first + "-" + last;
        };
        assertThat(actual).isEqualTo(expected);
    }
}
