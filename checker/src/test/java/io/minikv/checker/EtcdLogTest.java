package io.minikv.checker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class EtcdLogTest {
    private static final String P = "INFO  jepsen.util - ";

    @Test
    void timesAreLineNumbersAndArgumentsComeFromTheInvocation() {
        EtcdLog.History history = EtcdLog.parse(List.of(
                P + "0\t:invoke\t:read\tnil",
                P + "3\t:invoke\t:cas\t[1 4]",
                P + "0\t:ok\t:read\tnil",
                P + "3\t:fail\t:cas\t[1 4]",
                P + "0\t:invoke\t:write\t2",
                P + "0\t:ok\t:write\t2",
                P + "3\t:invoke\t:read\tnil",
                P + "3\t:ok\t:read\t2"));

        assertThat(history.operations())
                .containsExactly(
                        Operation.completed(
                                0,
                                "",
                                new RegisterInput.Read(),
                                new RegisterOutput.ReadResult(OptionalInt.empty()),
                                0,
                                2),
                        Operation.completed(3, "", new RegisterInput.Cas(1, 4), new RegisterOutput.CasFailed(), 1, 3),
                        Operation.completed(0, "", new RegisterInput.Write(2), new RegisterOutput.WriteOk(), 4, 5),
                        Operation.completed(
                                3,
                                "",
                                new RegisterInput.Read(),
                                new RegisterOutput.ReadResult(OptionalInt.of(2)),
                                6,
                                7));
        assertThat(history.invocations()).isEqualTo(4);
    }

    @Test
    void spacePaddedColumnsParseLikeTabs() {
        EtcdLog.History history = EtcdLog.parse(List.of(
                P + "1   :invoke :cas    [1 2]",
                P + "1   :ok     :cas    [1 2]",
                P + "12  :invoke :write  3",
                P + "12  :ok     :write  3"));

        assertThat(history.operations())
                .extracting(Operation::input)
                .containsExactly(new RegisterInput.Cas(1, 2), new RegisterInput.Write(3));
        assertThat(history.operations()).extracting(Operation::clientId).containsExactly(1, 12);
    }

    @Test
    void infoLeavesTheOperationOpenWithItsInvocationArguments() {
        EtcdLog.History history = EtcdLog.parse(List.of(
                P + "4\t:invoke\t:write\t1",
                P + "2\t:invoke\t:cas\t[0 3]",
                P + "4\t:info\t:write\t:timed-out",
                P + "2\t:info\t:cas\t:timed-out"));

        assertThat(history.operations())
                .containsExactly(
                        Operation.unknownOutcome(4, "", new RegisterInput.Write(1), 0),
                        Operation.unknownOutcome(2, "", new RegisterInput.Cas(0, 3), 1));
        assertThat(history.operations()).allMatch(op -> op.returnTime() == Long.MAX_VALUE);
    }

    @Test
    void aTimedOutReadIsRemoved() {
        EtcdLog.History history = EtcdLog.parse(List.of(
                P + "5   :invoke :read   nil",
                P + "5   :fail   :read   :timed-out",
                P + "5   :invoke :read   nil",
                P + "5   :ok     :read   0"));

        assertThat(history.operations()).hasSize(1);
        assertThat(history.operations().getFirst().callTime()).isEqualTo(2);
        assertThat(history.invocations()).isEqualTo(2);
        assertThat(history.readTimeouts()).isEqualTo(1);
    }

    @Test
    void rejectsLinesOutsideTheGrammar() {
        assertThatThrownBy(() -> EtcdLog.parse(List.of(P + "0 :invoke :delete nil")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 0");
        assertThatThrownBy(() -> EtcdLog.parse(List.of(P + "0\t:ok\t:read\t1"))).hasMessageContaining("no open :read");
        assertThatThrownBy(() -> EtcdLog.parse(List.of(P + "0\t:invoke\t:write\t1")))
                .hasMessageContaining("no completion");
    }
}
