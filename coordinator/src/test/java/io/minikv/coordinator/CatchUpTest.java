package io.minikv.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CatchUpTest {
    @Test
    void theFirstCommitIndexSeenIsTheTarget() {
        CatchUp catchUp = new CatchUp();

        assertThat(catchUp.caughtUp(100, 9_300)).isFalse();
        assertThat(catchUp.target()).isEqualTo(9_300);
        assertThat(catchUp.caughtUp(5_000, 9_400))
                .as("new entries do not move the target")
                .isFalse();
        assertThat(catchUp.caughtUp(9_300, 9_500)).isTrue();
    }

    @Test
    void onceCaughtUpItStaysSoWhileTrailingTheLeader() {
        CatchUp catchUp = new CatchUp();

        assertThat(catchUp.caughtUp(10, 10)).isTrue();
        assertThat(catchUp.caughtUp(11, 40)).isTrue();
    }

    @Test
    void nothingIsTargetedBeforeTheFirstQuestion() {
        assertThat(new CatchUp().target()).isEqualTo(-1);
    }
}
