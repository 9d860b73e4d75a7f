package io.minikv.checker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class KvLogTest {
    @Test
    void parsesGetsPutsAndAppendsWithEmptyStringsAndSpaces() {
        List<Operation<KvInput, KvOutput>> operations = KvLog.parse(List.of(
                "{:process 0, :type :invoke, :f :append, :key \"0\", :value \"x 0 0 y\"}",
                "{:process 1, :type :invoke, :f :get, :key \"5\", :value nil}",
                "{:process 0, :type :ok, :f :append, :key \"0\", :value \"x 0 0 y\"}",
                "{:process 1, :type :ok, :f :get, :key \"5\", :value \"\"}",
                "{:process 1, :type :invoke, :f :put, :key \"9\", :value \"\"}",
                "{:process 1, :type :ok, :f :put, :key \"9\", :value \"\"}",
                "{:process 0, :type :invoke, :f :get, :key \"0\", :value nil}",
                "{:process 0, :type :ok, :f :get, :key \"0\", :value \"x 0 2 yx 0 5 y\"}"));

        assertThat(operations)
                .containsExactly(
                        Operation.completed(0, "0", new KvInput.Append("x 0 0 y"), new KvOutput.Done(), 0, 2),
                        Operation.completed(1, "5", new KvInput.Get(), new KvOutput.Value(""), 1, 3),
                        Operation.completed(1, "9", new KvInput.Put(""), new KvOutput.Done(), 4, 5),
                        Operation.completed(0, "0", new KvInput.Get(), new KvOutput.Value("x 0 2 yx 0 5 y"), 6, 7));
    }

    @Test
    void rejectsACompletionForAnotherKeyOrFunction() {
        assertThatThrownBy(() -> KvLog.parse(List.of(
                        "{:process 0, :type :invoke, :f :get, :key \"1\", :value nil}",
                        "{:process 0, :type :ok, :f :get, :key \"2\", :value \"\"}")))
                .hasMessageContaining("line 1");
        assertThatThrownBy(() -> KvLog.parse(List.of("{:process 0, :type :info, :f :get, :key \"1\", :value nil}")))
                .hasMessageContaining("line 0");
    }
}
