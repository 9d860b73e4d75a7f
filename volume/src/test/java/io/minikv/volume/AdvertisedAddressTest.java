package io.minikv.volume;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdvertisedAddressTest {
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1:6000  | 127.0.0.1:6000
            10.1.2.3:6001   | 10.1.2.3:6001
            localhost:6000  | localhost:6000
            [::1]:6000      | [::1]:6000
            0.0.0.0:6000    | node-7:6000
            6000            | node-7:6000
            [::]:6001       | node-7:6001
            """)
    void aWildcardBindIsAdvertisedAsTheHostName(String bound, String advertised) {
        assertThat(AdvertisedAddress.of(HostPort.parse(bound), () -> "node-7")).hasToString(advertised);
    }
}
