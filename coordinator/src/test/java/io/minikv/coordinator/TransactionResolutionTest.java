package io.minikv.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TransactionResolutionTest {
    /**
     * Volume v1 holds transaction 7 preparing version 5. The metadata is given as committed
     * version/transaction/replicas (or "none"), the deletion version, and whether the leader still
     * has the write in flight.
     */
    @ParameterizedTest(name = "committed={0} deleted={1} inFlight={2} -> {3}")
    @CsvSource({
        "5/7/v1 v2, 0, false, COMMIT",
        "5/7/v2 v3, 0, false, ABORT",
        "6/9/v1 v2, 0, false, ABORT",
        "5/8/v1 v2, 0, true, ABORT",
        "4/3/v1 v2, 0, true, WAIT",
        "4/3/v1 v2, 0, false, ABORT",
        "none, 0, true, WAIT",
        "none, 0, false, ABORT",
        "none, 5, true, ABORT",
        "4/3/v1, 6, true, ABORT",
    })
    void resolvesFromTheMetadataOnly(String committed, long deleted, boolean inFlight, TransactionResolution expected) {
        TransactionResolution.Committed state = null;
        if (!committed.equals("none")) {
            String[] parts = committed.split("/");
            state = new TransactionResolution.Committed(
                    Long.parseLong(parts[0]), Long.parseLong(parts[1]), List.of(parts[2].split(" ")));
        }
        assertThat(TransactionResolution.resolve("v1", 7, 5, state, deleted, inFlight))
                .isEqualTo(expected);
    }
}
