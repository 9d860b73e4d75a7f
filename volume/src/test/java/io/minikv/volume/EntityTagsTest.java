package io.minikv.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minikv.proto.MinikvException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EntityTagsTest {
    private static final String TAG = "5eb63bbbe01eeed093cb22bb8f5acdc3";

    @ParameterizedTest(name = "[{index}] If-None-Match: {0} -> 304 {1}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            null                                           | false
            *                                              | true
            "5eb63bbbe01eeed093cb22bb8f5acdc3"             | true
            W/"5eb63bbbe01eeed093cb22bb8f5acdc3"           | true
            "other", "5eb63bbbe01eeed093cb22bb8f5acdc3"    | true
            "other"                                        | false
            "5eb63bbbe01eeed093cb22bb8f5acdc4"             | false
            """)
    void noneMatchComparesWeakly(String header, boolean notModified) {
        assertThat(EntityTags.noneMatchFails(header, TAG)).isEqualTo(notModified);
    }

    @Test
    void writePreconditions() {
        assertThat(EntityTags.writePrecondition(null, null)).isEqualTo(Precondition.NONE);
        assertThat(EntityTags.writePrecondition(null, "*")).isEqualTo(new Precondition.IfAbsent());
        assertThat(EntityTags.writePrecondition("\"" + TAG + "\"", null)).isEqualTo(new Precondition.IfMatch(TAG));
        assertThat(EntityTags.writePrecondition(TAG, null)).isEqualTo(new Precondition.IfMatch(TAG));
    }

    @Test
    void weakTagInIfMatchNeverMatches() {
        Precondition condition = EntityTags.writePrecondition("W/\"" + TAG + "\"", null);
        assertThat(condition.holds(new BlobInfo("k", 1, 1, TAG, "", 0))).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            *            | null
            "a", "b"     | null
            null         | "a"
            "a"          | *
            """)
    void writePreconditionsAVolumeCannotCheckAreRefused(String ifMatch, String ifNoneMatch) {
        assertThatThrownBy(() -> EntityTags.writePrecondition(ifMatch, ifNoneMatch))
                .isInstanceOf(MinikvException.InvalidArgument.class);
    }

    @Test
    void ifRangeAllowsTheRangeOnlyForTheCurrentTag() {
        assertThat(EntityTags.rangeAllowed(null, TAG)).isTrue();
        assertThat(EntityTags.rangeAllowed("\"" + TAG + "\"", TAG)).isTrue();
        assertThat(EntityTags.rangeAllowed("\"other\"", TAG)).isFalse();
        assertThat(EntityTags.rangeAllowed("Sun, 22 Nov 2026 03:59:48 GMT", TAG))
                .isFalse();
    }
}
