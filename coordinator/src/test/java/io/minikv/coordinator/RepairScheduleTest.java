package io.minikv.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class RepairScheduleTest {
    private static final RepairSchedule.Seen SEEN = new RepairSchedule.Seen(3, Set.of("v0", "v1", "v2"), 7);

    @Test
    void theFirstPassIsDue() {
        assertThat(new RepairSchedule().due(SEEN)).isTrue();
    }

    @Test
    void aPassThatLeftNothingSkipsTheNextUntilSomethingChanges() {
        RepairSchedule schedule = new RepairSchedule();
        schedule.passed(SEEN, 0);
        assertThat(schedule.due(new RepairSchedule.Seen(3, Set.of("v2", "v1", "v0"), 7)))
                .as("the same live volumes in another order")
                .isFalse();
        assertThat(schedule.due(new RepairSchedule.Seen(4, SEEN.up(), 7)))
                .as("a new term")
                .isTrue();
        assertThat(schedule.due(new RepairSchedule.Seen(3, Set.of("v0", "v1"), 7)))
                .as("a volume down")
                .isTrue();
        assertThat(schedule.due(new RepairSchedule.Seen(3, Set.of("v0", "v1", "v2", "v3"), 7)))
                .as("a volume up")
                .isTrue();
        assertThat(schedule.due(new RepairSchedule.Seen(3, SEEN.up(), 8)))
                .as("a write committed short")
                .isTrue();
    }

    @Test
    void aPassThatLeftWorkIsFollowedByAnother() {
        RepairSchedule schedule = new RepairSchedule();
        schedule.passed(SEEN, 0);
        RepairSchedule.Seen later = new RepairSchedule.Seen(3, SEEN.up(), 8);
        schedule.passed(later, 2);
        assertThat(schedule.due(later)).as("keys left for a later pass").isTrue();
        assertThat(schedule.due(SEEN))
                .as("what was clean before that pass no longer counts")
                .isTrue();
        schedule.passed(later, 0);
        assertThat(schedule.due(later)).isFalse();
    }
}
