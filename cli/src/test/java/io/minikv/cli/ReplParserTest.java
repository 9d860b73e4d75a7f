package io.minikv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReplParserTest {
    static Stream<Arguments> lines() {
        return Stream.of(
                Arguments.of("set a 1", new ReplRequest.Set("a", "1")),
                Arguments.of("set a hello world", new ReplRequest.Set("a", "hello world")),
                Arguments.of("set a \"hello world\"", new ReplRequest.Set("a", "hello world")),
                Arguments.of("set a 'hello world'", new ReplRequest.Set("a", "hello world")),
                Arguments.of("set a \"  padded  \"", new ReplRequest.Set("a", "  padded  ")),
                Arguments.of("set a   two  spaces   ", new ReplRequest.Set("a", "two  spaces")),
                Arguments.of("set a \"it's\"", new ReplRequest.Set("a", "it's")),
                Arguments.of("set a \"\"", new ReplRequest.Set("a", "")),
                Arguments.of("set a \"unbalanced", new ReplRequest.Set("a", "\"unbalanced")),
                Arguments.of("set a \"mixed'", new ReplRequest.Set("a", "\"mixed'")),
                Arguments.of("set a \"", new ReplRequest.Set("a", "\"")),
                Arguments.of("set \"my key\" v", new ReplRequest.Set("my key", "v")),
                Arguments.of("SET a 1", new ReplRequest.Set("a", "1")),
                Arguments.of("\tset a 1\t", new ReplRequest.Set("a", "1")),
                Arguments.of("set", new ReplRequest.Malformed("set KEY VALUE")),
                Arguments.of("set a", new ReplRequest.Malformed("set KEY VALUE")),
                Arguments.of("set a   ", new ReplRequest.Malformed("set KEY VALUE")),
                Arguments.of("set \"open key v", new ReplRequest.Malformed("set KEY VALUE")),
                Arguments.of("get a", new ReplRequest.Get("a")),
                Arguments.of("get \"my key\"", new ReplRequest.Get("my key")),
                Arguments.of("get 'my key'", new ReplRequest.Get("my key")),
                Arguments.of("get", new ReplRequest.Malformed("get KEY")),
                Arguments.of("get a b", new ReplRequest.Malformed("get KEY")),
                Arguments.of("get \"a\"b", new ReplRequest.Malformed("get KEY")),
                Arguments.of("delete a", new ReplRequest.Delete("a")),
                Arguments.of("delete", new ReplRequest.Malformed("delete KEY")),
                Arguments.of("list", new ReplRequest.ListKeys()),
                Arguments.of("list x", new ReplRequest.Malformed("list")),
                Arguments.of("stats", new ReplRequest.Stats()),
                Arguments.of("compact", new ReplRequest.Compact()),
                Arguments.of("help", new ReplRequest.Help()),
                Arguments.of("quit", new ReplRequest.Quit()),
                Arguments.of("exit", new ReplRequest.Quit()),
                Arguments.of("EXIT now", new ReplRequest.Malformed("exit")),
                Arguments.of("", new ReplRequest.Blank()),
                Arguments.of("   ", new ReplRequest.Blank()),
                Arguments.of("frob a b", new ReplRequest.Unknown("frob")),
                Arguments.of("Frob", new ReplRequest.Unknown("Frob")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("lines")
    void parsesLine(String line, ReplRequest expected) {
        assertThat(ReplParser.parse(line)).isEqualTo(expected);
    }
}
