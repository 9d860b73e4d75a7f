package io.minikv.checker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a key-value history ({@code kv/cNN-{ok,bad}.txt}) as specified in the test data's README: one EDN map
 * per line, time is the 0-based line number, and every invocation has exactly one {@code :ok} completion from
 * the same process. Strings have no escapes and may be empty or hold spaces.
 */
final class KvLog {
    private static final Pattern LINE = Pattern.compile(
            "^\\{:process (\\d+), :type :(invoke|ok), :f :(get|put|append), :key \"([^\"]*)\", :value (nil|\"([^\"]*)\")\\}$");

    private KvLog() {}

    private record Invocation(long time, String function, String key, KvInput input) {}

    static List<Operation<KvInput, KvOutput>> parse(List<String> lines) {
        List<Operation<KvInput, KvOutput>> operations = new ArrayList<>();
        Map<Integer, Invocation> open = new HashMap<>();
        for (int time = 0; time < lines.size(); time++) {
            String line = lines.get(time);
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("line " + time + " is not a kv history line: " + line);
            }
            int process = Integer.parseInt(m.group(1));
            String function = m.group(3);
            String key = m.group(4);
            String value = m.group(6);
            if (m.group(2).equals("invoke")) {
                KvInput input = switch (function) {
                    case "get" -> new KvInput.Get();
                    case "put" -> new KvInput.Put(argument(value, time));
                    default -> new KvInput.Append(argument(value, time));
                };
                if (open.put(process, new Invocation(time, function, key, input)) != null) {
                    throw new IllegalArgumentException("line " + time + ": process " + process + " is already busy");
                }
                continue;
            }
            Invocation call = open.remove(process);
            if (call == null || !call.function().equals(function) || !call.key().equals(key)) {
                throw new IllegalArgumentException("line " + time + ": no matching invocation for " + line);
            }
            KvOutput output;
            if (function.equals("get")) {
                output = new KvOutput.Value(argument(value, time));
            } else if (call.input()
                    .equals(function.equals("put") ? new KvInput.Put(value) : new KvInput.Append(value))) {
                output = new KvOutput.Done();
            } else {
                throw new IllegalArgumentException("line " + time + ": completion does not repeat " + call.input());
            }
            operations.add(Operation.completed(process, key, call.input(), output, call.time(), time));
        }
        if (!open.isEmpty()) {
            throw new IllegalArgumentException("processes " + open.keySet() + " have no completion line");
        }
        return operations;
    }

    private static String argument(String value, int time) {
        if (value == null) {
            throw new IllegalArgumentException("line " + time + ": expected a string, not nil");
        }
        return value;
    }
}
