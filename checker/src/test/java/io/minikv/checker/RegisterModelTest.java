package io.minikv.checker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The register's transitions as a table. An operation is written {@code read V}, {@code write V}, {@code cas A B
 * ok|fail}, or with {@code ?} for an unknown outcome ({@code write? V}, {@code cas? A B}); {@code nil} is the
 * absent value and {@code illegal} means the model rejects the step.
 */
class RegisterModelTest {
    private final RegisterModel model = new RegisterModel();

    @ParameterizedTest(name = "{0} | {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            nil | read nil     | nil
            nil | read 0       | illegal
            3   | read 3       | 3
            3   | read nil     | illegal
            3   | read 4       | illegal
            nil | write 2      | 2
            3   | write 3      | 3
            1   | cas 1 2 ok   | 2
            1   | cas 0 2 ok   | illegal
            nil | cas 0 2 ok   | illegal
            1   | cas 0 2 fail | 1
            nil | cas 0 2 fail | nil
            1   | cas 1 2 fail | illegal
            nil | write? 4     | 4
            2   | cas? 2 0     | 0
            2   | cas? 1 0     | 2
            nil | cas? 1 0     | nil
            """)
    void transitions(String state, String operation, String expected) {
        assertThat(apply(value(state), operation))
                .isEqualTo(expected.equals("illegal") ? Optional.empty() : Optional.of(value(expected)));
    }

    @Test
    void anOutputThatDoesNotFitTheInputIsAnError() {
        OptionalInt state = OptionalInt.empty();
        assertThatThrownBy(() -> model.step(state, new RegisterInput.Read(), new RegisterOutput.WriteOk()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> model.step(state, new RegisterInput.Write(1), new RegisterOutput.CasFailed()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> model.step(
                        state, new RegisterInput.Cas(1, 2), new RegisterOutput.ReadResult(OptionalInt.of(1))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private Optional<OptionalInt> apply(OptionalInt state, String operation) {
        String[] words = operation.split(" ");
        return switch (words[0]) {
            case "read" -> model.step(state, new RegisterInput.Read(), new RegisterOutput.ReadResult(value(words[1])));
            case "write" ->
                model.step(state, new RegisterInput.Write(Integer.parseInt(words[1])), new RegisterOutput.WriteOk());
            case "cas" ->
                model.step(
                        state,
                        new RegisterInput.Cas(Integer.parseInt(words[1]), Integer.parseInt(words[2])),
                        words[3].equals("ok") ? new RegisterOutput.CasOk() : new RegisterOutput.CasFailed());
            case "write?" -> model.stepUnknown(state, new RegisterInput.Write(Integer.parseInt(words[1])));
            case "cas?" ->
                model.stepUnknown(state, new RegisterInput.Cas(Integer.parseInt(words[1]), Integer.parseInt(words[2])));
            default -> throw new IllegalArgumentException(operation);
        };
    }

    private static OptionalInt value(String text) {
        return text.equals("nil") ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(text));
    }
}
