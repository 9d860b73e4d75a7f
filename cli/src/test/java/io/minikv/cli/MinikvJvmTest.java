package io.minikv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MinikvJvmTest {
    @Test
    void commandRunsMainWithTheOptionsBeforeTheClassPath() {
        MinikvJvm jvm =
                new MinikvJvm("/jdk/bin/java", List.of("--enable-native-access=ALL-UNNAMED", "-Xmx256m"), "a.jar");
        assertThat(jvm.command(List.of("volume", "serve", "--id", "v0")))
                .containsExactly(
                        "/jdk/bin/java",
                        "--enable-native-access=ALL-UNNAMED",
                        "-Xmx256m",
                        "-cp",
                        "a.jar",
                        "io.minikv.cli.Main",
                        "volume",
                        "serve",
                        "--id",
                        "v0");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            -agentlib:jdwp=transport=dt_socket,server=y,address=5005 | true
            -Xrunjdwp:transport=dt_socket                            | true
            -javaagent:/jacoco.jar=destfile=jacoco.exec              | false
            -Xmx1g                                                   | false
            """)
    void aDebuggerAgentIsToldApart(String option, boolean debugger) {
        assertThat(MinikvJvm.isDebuggerAgent(option)).isEqualTo(debugger);
    }

    @Test
    void currentIsThisJvmWithoutADebugger() {
        MinikvJvm jvm = MinikvJvm.current();
        assertThat(jvm.classPath()).isEqualTo(System.getProperty("java.class.path"));
        assertThat(jvm.java()).endsWith("java");
        assertThat(jvm.options()).noneMatch(MinikvJvm::isDebuggerAgent);
    }
}
