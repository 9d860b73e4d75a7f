package io.minikv.checker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a Jepsen etcd register history ({@code etcd/etcd_NNN.log}) as specified in the test data's README.
 *
 * <p>Time is the 0-based line number. A completion ends the operation its process invoked last, with the
 * arguments of the invocation line. {@code :info} (unknown outcome) does not end the operation: it stays open to
 * the end, so it becomes an operation of unknown outcome. {@code :fail :read :timed-out} carries no result and is
 * dropped. {@code :fail :cas} is a definite failed compare.
 */
final class EtcdLog {
    // Columns are TAB-separated in 000-099 and space-padded in 100-102: split on runs of white space.
    private static final Pattern LINE = Pattern.compile(
            "^INFO\\s+jepsen\\.util\\s+-\\s+(\\d+)\\s+:(invoke|ok|fail|info)\\s+:(read|write|cas)\\s+(nil|\\d+|\\[\\d+ \\d+\\]|:timed-out)$");
    private static final Pattern PAIR = Pattern.compile("\\[(\\d+) (\\d+)\\]");

    private EtcdLog() {}

    /** A parsed file and what was dropped from it. */
    record History(List<Operation<RegisterInput, RegisterOutput>> operations, int invocations, int readTimeouts) {}

    private record Invocation(long time, RegisterInput input) {}

    static History parse(List<String> lines) {
        List<Operation<RegisterInput, RegisterOutput>> operations = new ArrayList<>();
        Map<Integer, Invocation> open = new HashMap<>();
        int invocations = 0;
        int readTimeouts = 0;
        for (int time = 0; time < lines.size(); time++) {
            String line = lines.get(time);
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("line " + time + " is not an etcd history line: " + line);
            }
            int process = Integer.parseInt(m.group(1));
            String type = m.group(2);
            String function = m.group(3);
            String value = m.group(4);
            if (type.equals("invoke")) {
                if (open.containsKey(process)) {
                    throw new IllegalArgumentException("line " + time + ": process " + process + " is already busy");
                }
                open.put(process, new Invocation(time, input(function, value, time)));
                invocations++;
                continue;
            }
            Invocation call = open.remove(process);
            if (call == null || !function.equals(functionOf(call.input()))) {
                throw new IllegalArgumentException(
                        "line " + time + ": no open :" + function + " for process " + process);
            }
            switch (type + " " + function) {
                case "ok read" ->
                    operations.add(completed(process, call, new RegisterOutput.ReadResult(read(value, time)), time));
                case "ok write", "ok cas" -> {
                    if (!input(function, value, time).equals(call.input())) {
                        throw new IllegalArgumentException(
                                "line " + time + ": completion does not repeat " + call.input());
                    }
                    RegisterOutput output =
                            function.equals("write") ? new RegisterOutput.WriteOk() : new RegisterOutput.CasOk();
                    operations.add(completed(process, call, output, time));
                }
                case "fail cas" -> operations.add(completed(process, call, new RegisterOutput.CasFailed(), time));
                case "fail read" -> {
                    if (!value.equals(":timed-out")) {
                        throw new IllegalArgumentException("line " + time + ": a failed read must have timed out");
                    }
                    readTimeouts++;
                }
                case "info read", "info write", "info cas" ->
                    operations.add(Operation.unknownOutcome(process, "", call.input(), call.time()));
                default -> throw new IllegalArgumentException("line " + time + ": unexpected " + line);
            }
        }
        if (!open.isEmpty()) {
            throw new IllegalArgumentException("processes " + open.keySet() + " have no completion line");
        }
        return new History(operations, invocations, readTimeouts);
    }

    private static Operation<RegisterInput, RegisterOutput> completed(
            int process, Invocation call, RegisterOutput output, long time) {
        return Operation.completed(process, "", call.input(), output, call.time(), time);
    }

    private static RegisterInput input(String function, String value, int time) {
        return switch (function) {
            case "read" -> new RegisterInput.Read();
            case "write" -> new RegisterInput.Write(integer(value, time));
            case "cas" -> {
                Matcher pair = PAIR.matcher(value);
                if (!pair.matches()) {
                    throw new IllegalArgumentException("line " + time + ": a cas needs [a b], not " + value);
                }
                yield new RegisterInput.Cas(Integer.parseInt(pair.group(1)), Integer.parseInt(pair.group(2)));
            }
            default -> throw new IllegalArgumentException("line " + time + ": unknown function " + function);
        };
    }

    private static String functionOf(RegisterInput input) {
        return switch (input) {
            case RegisterInput.Read() -> "read";
            case RegisterInput.Write _ -> "write";
            case RegisterInput.Cas _ -> "cas";
        };
    }

    private static OptionalInt read(String value, int time) {
        return value.equals("nil") ? OptionalInt.empty() : OptionalInt.of(integer(value, time));
    }

    private static int integer(String value, int time) {
        if (!value.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("line " + time + ": expected an integer, not " + value);
        }
        return Integer.parseInt(value);
    }
}
