package io.minikv.proto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StreamHeadsTest {
    @ParameterizedTest
    @CsvSource({
        "0, 100", // an empty stream
        "256, 32769", // a small value: the whole of it
        "512, 32769", // exactly the first array
        "513, 32769", // one byte beyond it
        "32769, 32769", // exactly the limit
        "100000, 32769", // longer than the limit: the limit's worth
        "5000, 1000", // a limit above the first array
        "300, 100" // a limit below the first array
    })
    void readsUpToTheLimitAndLeavesTheRest(int size, int limit) throws IOException {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        InputStream in = new ByteArrayInputStream(data);

        byte[] head = StreamHeads.read(in, limit);

        int expected = Math.min(size, limit);
        assertThat(head).hasSize(expected).isEqualTo(Arrays.copyOf(data, expected));
        assertThat(in.readAllBytes()).hasSize(size - expected);
    }

    @ParameterizedTest
    @CsvSource({"700", "4096"})
    void aStreamThatAnswersAByteAtATimeIsReadWhole(int size) throws IOException {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        InputStream trickle = new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1));
            }
        };

        assertThat(StreamHeads.read(trickle, 32769)).isEqualTo(data);
    }

    @Test
    void aSmallValueIsNotReadThroughALargeArray() throws IOException {
        int[] largestArray = {0};
        InputStream in = new FilterInputStream(new ByteArrayInputStream(new byte[256])) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                largestArray[0] = Math.max(largestArray[0], b.length);
                return super.read(b, off, len);
            }
        };

        assertThat(StreamHeads.read(in, 32769)).hasSize(256);
        assertThat(largestArray[0]).isEqualTo(StreamHeads.FIRST_ARRAY);
    }
}
