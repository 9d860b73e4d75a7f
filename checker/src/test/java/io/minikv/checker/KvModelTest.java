package io.minikv.checker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The key-value model's transitions as a table ({@code ''} is the empty string), and its partitioning. */
class KvModelTest {
    private final KvModel model = new KvModel();

    @ParameterizedTest(name = "''{0}'' | {1} {2} -> {3}")
    @CsvSource(quoteCharacter = '\'', textBlock = """
            '',    get,     '',   ''
            '',    get,     x,    illegal
            x,     get,     x,    x
            xy,    get,     x,    illegal
            x,     put,     y,    y
            x,     put,     '',   ''
            x,     append,  y,    xy
            '',    append,  y,    y
            x,     append?, y,    xy
            x,     put?,    y,    y
            """)
    void transitions(String state, String operation, String argument, String expected) {
        Optional<String> next = switch (operation) {
            case "get" -> model.step(state, new KvInput.Get(), new KvOutput.Value(argument));
            case "put" -> model.step(state, new KvInput.Put(argument), new KvOutput.Done());
            case "append" -> model.step(state, new KvInput.Append(argument), new KvOutput.Done());
            case "put?" -> model.stepUnknown(state, new KvInput.Put(argument));
            case "append?" -> model.stepUnknown(state, new KvInput.Append(argument));
            default -> throw new IllegalArgumentException(operation);
        };

        assertThat(next).isEqualTo(expected.equals("illegal") ? Optional.empty() : Optional.of(expected));
    }

    @Test
    void anOutputThatDoesNotFitTheInputIsAnError() {
        assertThatThrownBy(() -> model.step("", new KvInput.Get(), new KvOutput.Done()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> model.step("", new KvInput.Append("x"), new KvOutput.Value("x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keysAreCheckedApartAndTheFailingKeyIsNamed() {
        List<Operation<KvInput, KvOutput>> history = List.of(
                Operation.completed(0, "a", new KvInput.Append("1"), new KvOutput.Done(), 0, 10),
                Operation.completed(1, "b", new KvInput.Append("2"), new KvOutput.Done(), 0, 10),
                Operation.completed(0, "a", new KvInput.Get(), new KvOutput.Value("1"), 20, 30),
                // "b" holds "2"; reading "12" would only fit one shared value for both keys.
                Operation.completed(1, "b", new KvInput.Get(), new KvOutput.Value("12"), 20, 30));

        Verdict verdict = LinearizabilityChecker.check(model, history, Duration.ofSeconds(10));

        assertThat(verdict).isInstanceOfSatisfying(Verdict.NotLinearizable.class, failure -> {
            assertThat(failure.key()).isEqualTo("b");
            assertThat(failure.unplaceable()).containsExactly(history.get(3));
        });
    }
}
