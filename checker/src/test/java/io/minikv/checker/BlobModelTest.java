package io.minikv.checker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Hand-written histories of minikv's blob API, each with the verdict a cluster test must get. */
class BlobModelTest {
    private static final String KEY = "photos/cat.jpg";

    private final BlobModel model = new BlobModel();

    @Test
    void aGetSeesTheLastAcknowledgedPut() {
        assertThat(check(put("a", 0, 10), put("b", 20, 30), found("b", 40, 50))).isEqualTo(new Verdict.Linearizable());
    }

    @Test
    void aLostAcknowledgedWriteIsNotLinearizable() {
        Verdict verdict = check(put("a", 0, 10), notFound(20, 30));

        assertThat(verdict).isInstanceOfSatisfying(Verdict.NotLinearizable.class, failure -> {
            assertThat(failure.key()).isEqualTo(KEY);
            assertThat(failure.stateAfterPrefix()).isEqualTo(Optional.of("a"));
            assertThat(failure.explanation()).contains(KEY, "NotFound");
        });
    }

    @Test
    void aStaleReadAfterACompletedPutIsNotLinearizable() {
        assertThat(check(put("a", 0, 10), put("b", 20, 30), found("a", 40, 50)))
                .isInstanceOf(Verdict.NotLinearizable.class);
    }

    @Test
    void aReadConcurrentWithAPutMaySeeEitherValue() {
        assertThat(check(put("a", 0, 10), put("b", 20, 50), found("a", 30, 40))).isEqualTo(new Verdict.Linearizable());
        assertThat(check(put("a", 0, 10), put("b", 20, 50), found("b", 30, 40))).isEqualTo(new Verdict.Linearizable());
    }

    @Test
    void readsMustNotGoBackInTime() {
        // Both reads overlap the put of b, but once one read has seen b, a later read must not see a.
        assertThat(check(put("a", 0, 10), put("b", 20, 90), found("b", 30, 40), found("a", 50, 60)))
                .isInstanceOf(Verdict.NotLinearizable.class);
    }

    @Test
    void aTimedOutPutMayBeSeenLater() {
        assertThat(check(putTimedOut("a", 0), found("a", 100, 110), found("a", 120, 130)))
                .isEqualTo(new Verdict.Linearizable());
    }

    @Test
    void aTimedOutPutMayNeverBeSeen() {
        assertThat(check(putTimedOut("a", 0), notFound(100, 110), notFound(120, 130)))
                .isEqualTo(new Verdict.Linearizable());
    }

    @Test
    void aTimedOutPutMayTakeEffectAfterLaterOperations() {
        // It may land after the put of b, which finished long after the client gave up on a.
        assertThat(check(putTimedOut("a", 0), put("b", 10, 20), found("b", 30, 40), found("a", 50, 60)))
                .isEqualTo(new Verdict.Linearizable());
    }

    @Test
    void aTimedOutPutCannotTakeEffectBeforeItWasCalled() {
        assertThat(check(found("a", 0, 10), putTimedOut("a", 20))).isInstanceOf(Verdict.NotLinearizable.class);
    }

    @Test
    void aTimedOutPutOnceSeenStaysUntilOverwritten() {
        assertThat(check(putTimedOut("a", 0), found("a", 100, 110), notFound(120, 130)))
                .isInstanceOf(Verdict.NotLinearizable.class);
        assertThat(check(
                        putTimedOut("a", 0),
                        put("b", 10, 20),
                        found("b", 30, 40),
                        found("a", 50, 60),
                        found("b", 70, 80)))
                .isInstanceOf(Verdict.NotLinearizable.class);
    }

    @Test
    void deletesAreIdempotent() {
        assertThat(check(
                        delete(0, 10),
                        delete(20, 30),
                        notFound(40, 50),
                        put("a", 60, 70),
                        delete(80, 90),
                        delete(85, 95),
                        notFound(100, 110)))
                .isEqualTo(new Verdict.Linearizable());
    }

    @Test
    void aTimedOutDeleteMayRemoveTheBlobLater() {
        assertThat(check(put("a", 0, 10), deleteTimedOut(20), found("a", 30, 40), notFound(50, 60)))
                .isEqualTo(new Verdict.Linearizable());
        assertThat(check(put("a", 0, 10), deleteTimedOut(20), found("a", 30, 40), notFound(50, 60), found("a", 70, 80)))
                .isInstanceOf(Verdict.NotLinearizable.class);
    }

    @Test
    void keysAreIndependent() {
        List<Operation<BlobInput, BlobOutput>> history = List.of(
                Operation.completed(0, "x", new BlobInput.Put("a"), new BlobOutput.Done(), 0, 10),
                Operation.completed(1, "y", new BlobInput.Get(), new BlobOutput.NotFound(), 20, 30),
                Operation.completed(1, "x", new BlobInput.Get(), new BlobOutput.Found("a"), 40, 50));

        assertThat(LinearizabilityChecker.check(model, history, Duration.ofSeconds(10)))
                .isEqualTo(new Verdict.Linearizable());
    }

    @Test
    void anOutputThatDoesNotFitTheInputIsAnError() {
        assertThatThrownBy(() -> model.step(Optional.empty(), new BlobInput.Put("a"), new BlobOutput.NotFound()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> model.step(Optional.empty(), new BlobInput.Get(), new BlobOutput.Done()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @SafeVarargs
    private Verdict check(Operation<BlobInput, BlobOutput>... history) {
        List<Operation<BlobInput, BlobOutput>> operations = new ArrayList<>();
        for (Operation<BlobInput, BlobOutput> op : history) {
            operations.add(op);
        }
        return LinearizabilityChecker.check(model, operations, Duration.ofSeconds(10));
    }

    private static Operation<BlobInput, BlobOutput> put(String value, long call, long ret) {
        return Operation.completed(0, KEY, new BlobInput.Put(value), new BlobOutput.Done(), call, ret);
    }

    private static Operation<BlobInput, BlobOutput> putTimedOut(String value, long call) {
        return Operation.unknownOutcome(0, KEY, new BlobInput.Put(value), call);
    }

    private static Operation<BlobInput, BlobOutput> found(String value, long call, long ret) {
        return Operation.completed(1, KEY, new BlobInput.Get(), new BlobOutput.Found(value), call, ret);
    }

    private static Operation<BlobInput, BlobOutput> notFound(long call, long ret) {
        return Operation.completed(1, KEY, new BlobInput.Get(), new BlobOutput.NotFound(), call, ret);
    }

    private static Operation<BlobInput, BlobOutput> delete(long call, long ret) {
        return Operation.completed(2, KEY, new BlobInput.Delete(), new BlobOutput.Done(), call, ret);
    }

    private static Operation<BlobInput, BlobOutput> deleteTimedOut(long call) {
        return Operation.unknownOutcome(2, KEY, new BlobInput.Delete(), call);
    }
}
