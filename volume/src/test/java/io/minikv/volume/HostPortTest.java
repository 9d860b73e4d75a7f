package io.minikv.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1:6000 | 127.0.0.1 | 6000 | 127.0.0.1:6000
            localhost:0    | localhost | 0    | localhost:0
            6000           | 0.0.0.0   | 6000 | 0.0.0.0:6000
            [::1]:6001     | ::1       | 6001 | [::1]:6001
            ' host:1 '     | host      | 1    | host:1
            """)
    void parses(String text, String host, int port, String written) {
        HostPort address = HostPort.parse(text);
        assertThat(address).isEqualTo(new HostPort(host, port));
        assertThat(address.toString()).isEqualTo(written);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "host", "host:", ":80", "host:65536", "host:-1", "host:x", "::1:80", "host:123456"})
    void refusesWhatIsNotHostAndPort(String text) {
        assertThatThrownBy(() -> HostPort.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
