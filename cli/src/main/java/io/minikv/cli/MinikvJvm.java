package io.minikv.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to run the {@code minikv} command in a new JVM set up like this one: the same {@code java}
 * executable, JVM options (those of {@code JAVA_OPTS} among them, which the launcher passed to this
 * JVM) and class path.
 *
 * @param java the {@code java} executable
 * @param options the JVM options, before the class path
 * @param classPath the class path holding {@link Main}
 */
record MinikvJvm(String java, List<String> options, String classPath) {
    MinikvJvm {
        options = List.copyOf(options);
    }

    /** This JVM's executable, options and class path, without a debugger agent. */
    static MinikvJvm current() {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> options = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(option -> !isDebuggerAgent(option))
                .toList();
        return new MinikvJvm(java, options, System.getProperty("java.class.path"));
    }

    /**
     * A debugger agent listens on a fixed port: every child given it would fail to start but the
     * first, so children are run without one (attach to a node's process to debug it).
     */
    static boolean isDebuggerAgent(String option) {
        return option.startsWith("-agentlib:jdwp") || option.startsWith("-Xrunjdwp");
    }

    /** The command line that runs {@code minikv ARGUMENTS...} in a new JVM. */
    List<String> command(List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(options);
        command.add("-cp");
        command.add(classPath);
        command.add(Main.class.getName());
        command.addAll(arguments);
        return command;
    }
}
