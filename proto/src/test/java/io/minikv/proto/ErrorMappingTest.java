package io.minikv.proto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each domain error survives the trip to a transport's status and back. */
class ErrorMappingTest {
    private static final List<MinikvException> EVERY_KIND = List.of(
            new MinikvException.NotFound("m"),
            new MinikvException.PreconditionFailed("m"),
            new MinikvException.InvalidArgument("m"),
            new MinikvException.TooLarge("m"),
            new MinikvException.Unavailable("m"),
            new MinikvException.Conflict("m"),
            new MinikvException.Corrupt("m"),
            new MinikvException.Timeout("m"));

    @Test
    void everyKindSurvivesGrpc() {
        for (MinikvException e : EVERY_KIND) {
            MinikvException back =
                    GrpcStatuses.fromStatus(GrpcStatuses.toStatus(e).getStatus());
            assertThat(back).isInstanceOf(e.getClass()).hasMessage("m");
        }
    }

    @Test
    void everyKindButCorruptSurvivesHttp() {
        for (MinikvException e : EVERY_KIND) {
            MinikvException back = HttpStatuses.fromStatus(HttpStatuses.of(e), "m");
            if (e instanceof MinikvException.Corrupt) {
                assertThat(back).isNull();
            } else {
                assertThat(back).isInstanceOf(e.getClass()).hasMessage("m");
            }
        }
    }

    @Test
    void statusesWithoutDomainMeaningMapToNull() {
        assertThat(HttpStatuses.fromStatus(405, "m")).isNull();
        assertThat(HttpStatuses.fromStatus(502, "m")).isNull();
        assertThat(GrpcStatuses.fromStatus(io.grpc.Status.INTERNAL)).isNull();
    }
}
