package io.minikv.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How a list of items is cut into batches ({@link GroupCommit#split}): a round's items for one volume
 * become {@code PrepareBatch} calls this way.
 */
class GroupCommitSplitTest {
    @Test
    void itemsFitInOneBatchWhenUnderBothLimits() {
        assertThat(GroupCommit.split(List.of(1, 2, 3), w -> w, 4, 10)).containsExactly(List.of(1, 2, 3));
    }

    @Test
    void aBatchEndsAtTheItemLimit() {
        assertThat(GroupCommit.split(List.of(1, 1, 1, 1, 1), w -> w, 2, 100))
                .containsExactly(List.of(1, 1), List.of(1, 1), List.of(1));
    }

    @Test
    void aBatchEndsBeforeAnItemThatWouldPassTheWeightLimit() {
        assertThat(GroupCommit.split(List.of(4, 4, 3, 5), w -> w, 10, 8)).containsExactly(List.of(4, 4), List.of(3, 5));
    }

    @Test
    void anItemHeavierThanTheLimitGoesAloneAndInOrder() {
        assertThat(GroupCommit.split(List.of(1, 20, 2), w -> w, 10, 8))
                .containsExactly(List.of(1), List.of(20), List.of(2));
    }

    @Test
    void noItemsMakeNoBatches() {
        assertThat(GroupCommit.split(List.<Integer>of(), w -> w, 10, 8)).isEmpty();
    }
}
