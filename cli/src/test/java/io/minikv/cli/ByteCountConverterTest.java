package io.minikv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class ByteCountConverterTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            1048576   | 1048576
            1b        | 1
            64KiB     | 65536
            64k       | 65536
            512MiB    | 536870912
            512 M     | 536870912
            1GiB      | 1073741824
            2g        | 2147483648
            """)
    void readsBytesAndBinaryUnits(String text, long bytes) {
        assertThat(new ByteCountConverter().convert(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", "0", "-1", "1.5GiB", "1TB", "lots", "GiB", "99999999999999999999", "9999999999999999999g"})
    void refusesWhatIsNotAPositiveSize(String text) {
        assertThatThrownBy(() -> new ByteCountConverter().convert(text)).isInstanceOf(TypeConversionException.class);
    }
}
